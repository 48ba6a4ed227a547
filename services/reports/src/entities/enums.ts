import { registerEnumType } from 'type-graphql';

/** A report's own state (API.md "Reports"). */
export enum ReportStatus {
  DRAFT = 'DRAFT',
  SUBMITTED = 'SUBMITTED',
  RETURNED = 'RETURNED',
  ACCEPTED = 'ACCEPTED',
}
registerEnumType(ReportStatus, { name: 'ReportStatus' });

/** A child tenant's reporting on a directive, as its parent sees it. */
export enum ReportingState {
  NO_PLAN = 'NO_PLAN',
  NOT_STARTED = 'NOT_STARTED',
  DRAFT = 'DRAFT',
  SUBMITTED = 'SUBMITTED',
  RETURNED = 'RETURNED',
  ACCEPTED = 'ACCEPTED',
}
registerEnumType(ReportingState, { name: 'ReportingState' });

/** Only these states may be edited, regenerated and submitted. */
export const EDITABLE: ReportStatus[] = [ReportStatus.DRAFT, ReportStatus.RETURNED];
/** In these states the parent has the report: the campaign's statistics are locked. */
export const LOCKING: ReportStatus[] = [ReportStatus.SUBMITTED, ReportStatus.ACCEPTED];
/** Ancestors read a report once it was submitted (and so in every later state). */
export const SENT_UP: ReportStatus[] = [ReportStatus.SUBMITTED, ReportStatus.RETURNED, ReportStatus.ACCEPTED];

/** The kernel's, shared with campaigns: one definition. */
export { Indicator } from '@cascade/kernel';
