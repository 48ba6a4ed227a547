import { runStandalone } from '@cascade/kernel';
import { reportsModule } from './schema';

runStandalone(reportsModule);
