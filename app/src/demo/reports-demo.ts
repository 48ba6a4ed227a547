import { GraphQLClient } from '../client';
import { HAND_WRITTEN_SECTIONS } from './documents/bashi-lessons';
import { DemoCampaign } from './types';

/**
 * The end of a week, as the documents describe it: each campaign marked with a report gets its
 * 工作总结 generated from the figures just loaded; a finished week's is submitted to the tenant
 * above (八师 → 兵团), acknowledging what the data cannot state (the lost 观展人次), so the parent
 * sees it under `reporting`; a week still being summed up keeps a DRAFT (鼓楼区, with its missing
 * figures flagged). Only after its report is a finished campaign closed: a CLOSED campaign's
 * statistics are locked, and submission locks them itself.
 */
type AdminOf = (tenantKey: string) => Promise<GraphQLClient>;

export async function writeDemoReports(campaigns: DemoCampaign[], campaignIds: Record<string, string>, adminOf: AdminOf): Promise<Record<string, string>> {
  const reports: Record<string, string> = {};
  for (const campaign of campaigns) {
    if (!campaign.report) continue;
    const admin = await adminOf(campaign.tenant);
    const generated = await admin.run<{ generateReport: { id: string } }>('mutation($c: ID!) { generateReport(campaignId: $c) { id } }', { c: campaignIds[campaign.key] });
    reports[campaign.key] = generated.generateReport.id;
    // what people write by hand (几点体会) goes in before the report is sent up
    for (const [key, body] of Object.entries(HAND_WRITTEN_SECTIONS[campaign.key] ?? {})) {
      await admin.run('mutation($i: UpdateReportSectionInput!) { updateReportSection(input: $i) { id } }', { i: { reportId: generated.generateReport.id, key, body } });
    }
    if (campaign.report === 'SUBMITTED') {
      await admin.run('mutation($i: SubmitReportInput!) { submitReport(input: $i) { status } }', { i: { id: generated.generateReport.id, acknowledgeMissing: true } });
    }
  }
  return reports;
}

export async function closeFinishedCampaigns(campaigns: DemoCampaign[], campaignIds: Record<string, string>, adminOf: AdminOf): Promise<void> {
  for (const campaign of campaigns) {
    if (campaign.status !== 'CLOSED') continue;
    const admin = await adminOf(campaign.tenant);
    await admin.run('mutation($id: ID!) { setCampaignStatus(id: $id, status: CLOSED) { status } }', { id: campaignIds[campaign.key] });
  }
}
