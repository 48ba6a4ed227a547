import { runMigrateCli } from '@cascade/kernel';
import { campaignsModule } from './schema';

// node services/campaigns/dist/migrate.js up | down [--steps N | --all] | status (README, Operations: Migrations)
runMigrateCli([campaignsModule], process.argv.slice(2));
