import { runStandalone } from '@cascade/kernel';
import { mediaModule } from './schema';

void runStandalone(mediaModule);
