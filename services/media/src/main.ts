import { runStandalone } from '@cascade/kernel';
import { mediaModule } from './schema';

runStandalone(mediaModule);
