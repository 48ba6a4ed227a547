import { runStandalone } from '@cascade/kernel';
import { feedsModule } from './schema';

runStandalone(feedsModule);
