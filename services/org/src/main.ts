import { runStandalone } from '@cascade/kernel';
import { orgModule } from './schema';

runStandalone(orgModule);
