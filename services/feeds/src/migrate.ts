import { runMigrateCli } from '@cascade/kernel';
import { feedsModule } from './schema';

// node services/feeds/dist/migrate.js up | down [--steps N | --all] | status (README, Operations: Migrations)
runMigrateCli([feedsModule], process.argv.slice(2));
