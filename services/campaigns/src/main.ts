import { runStandalone } from '@cascade/kernel';
import { campaignsModule } from './schema';

void runStandalone(campaignsModule);
