import { runMigrateCli } from '@cascade/kernel';
import { orgModule } from './schema';

// node services/org/dist/migrate.js up | down [--steps N | --all] | status (README, Operations: Migrations)
runMigrateCli([orgModule], process.argv.slice(2));
