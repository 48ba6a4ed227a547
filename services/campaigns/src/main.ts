import { runStandalone } from '@cascade/kernel';
import { campaignsModule } from './schema';

runStandalone(campaignsModule);
