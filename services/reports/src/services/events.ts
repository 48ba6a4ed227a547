import { ReportsContext } from '../context';
import { Report } from '../entities';

/**
 * Tells the live side (feeds' `reportChanged` subscription) that a report moved. Live fan-out
 * only: a lost event costs a board a refresh, never a report (the row is the record).
 */
export async function publishReportChanged(ctx: ReportsContext, report: Report): Promise<void> {
  await ctx.reports.bus
    .publish('report.changed', { reportId: report.id, campaignId: report.campaignId, tenantId: report.tenantId, tenantPath: report.tenantPath, status: report.status })
    .catch((err) => ctx.reports.logger.warn({ err, reportId: report.id }, 'report.changed was not published'));
}
