export { reportsModule } from './schema';
export * from './entities';
export type { ReportSource, GeneratedReport } from './writer/types';
