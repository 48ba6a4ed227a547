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

/**
 * The campaigns subgraph's Indicator enum, repeated here because reports states figures by
 * indicator. Composition requires both definitions to be identical (test/supergraph.test.ts).
 */
export enum Indicator {
  PARTICIPANTS = 'PARTICIPANTS',
  SIGNATURES = 'SIGNATURES',
  VISITORS = 'VISITORS',
  DISPLAY_BOARDS = 'DISPLAY_BOARDS',
  BANNERS = 'BANNERS',
  MATERIALS_DISTRIBUTED = 'MATERIALS_DISTRIBUTED',
  CONSULTATIONS = 'CONSULTATIONS',
  CONSULTATION_POINTS = 'CONSULTATION_POINTS',
  PUBLICITY_VEHICLES = 'PUBLICITY_VEHICLES',
  ENTERPRISES_TRAINED = 'ENTERPRISES_TRAINED',
  TRAINEES = 'TRAINEES',
  ENFORCEMENT_OFFICERS = 'ENFORCEMENT_OFFICERS',
  BUSINESSES_INSPECTED = 'BUSINESSES_INSPECTED',
  CASES_FILED = 'CASES_FILED',
  ITEMS_CONFISCATED = 'ITEMS_CONFISCATED',
  MEDIA_REPORTS = 'MEDIA_REPORTS',
  PRESS_CONFERENCES = 'PRESS_CONFERENCES',
  UNITS_ATTENDING = 'UNITS_ATTENDING',
  ENTERPRISES_ATTENDING = 'ENTERPRISES_ATTENDING',
  COMPLAINTS_RECEIVED = 'COMPLAINTS_RECEIVED',
}
registerEnumType(Indicator, { name: 'Indicator' });
