import { AuditEntry } from '@cascade/kernel';
import { Report } from './report';
import { ReportSection } from './report-section';

export * from './enums';
export { Report, ReportSection };
export type { StoredFigure, StoredMissing } from './report';

/** Every entity of the reports service (the isolation and scoping tests walk this list). */
export const reportsEntities = [Report, ReportSection, AuditEntry]; // AuditEntry: the kernel's, this service's audit trail
