import { runStandalone } from '@cascade/kernel';
import { feedsModule } from './schema';

void runStandalone(feedsModule);
