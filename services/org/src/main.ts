import { runStandalone } from '@cascade/kernel';
import { orgModule } from './schema';

void runStandalone(orgModule);
