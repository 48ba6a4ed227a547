import { runMigrateCli } from '@cascade/kernel';
import { reportsModule } from './schema';

// node services/reports/dist/migrate.js up | down [--steps N | --all] | status (README, Operations: Migrations)
runMigrateCli([reportsModule], process.argv.slice(2));
