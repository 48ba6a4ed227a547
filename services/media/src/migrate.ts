import { runMigrateCli } from '@cascade/kernel';
import { mediaModule } from './schema';

// node services/media/dist/migrate.js up | down [--steps N | --all] | status (README, Operations: Migrations)
runMigrateCli([mediaModule], process.argv.slice(2));
