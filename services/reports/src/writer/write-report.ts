import { GeneratedReport, ReportSource } from './types';

/** PLACEHOLDER (lead), to be replaced by the writer's author: keeps the build green meanwhile. */
export function writeReport(source: ReportSource): GeneratedReport {
  throw new Error(`report writer not written yet (${source.campaign.title})`);
}
