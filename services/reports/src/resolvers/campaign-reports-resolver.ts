import { Ctx, FieldResolver, Resolver, Root } from 'type-graphql';
import { ReportsContext } from '../context';
import { Report } from '../entities';
import { reportService } from '../services/report-service';
import { reportingForScreen, reportingOf } from '../services/reporting';
import { readCampaign } from '../services/sources';
import { CampaignRef, ref, ReportingEntry } from './types';

@Resolver(() => CampaignRef)
export class CampaignReportsResolver {
  @FieldResolver(() => Report, { nullable: true, description: 'This campaign’s own report, when one exists and the caller may read it' })
  report(@Root() campaign: CampaignRef, @Ctx() ctx: ReportsContext) {
    return reportService.forCampaign(ctx, campaign.id);
  }

  @FieldResolver(() => [ReportingEntry], {
    description: 'For the campaign’s tenant and its ancestors: one entry per direct child tenant — its campaign implementing this one (NO_PLAN: none) and its report',
  })
  async reporting(@Root() campaign: CampaignRef, @Ctx() ctx: ReportsContext): Promise<ReportingEntry[]> {
    let rows;
    if (ctx.claims.screen) rows = await reportingForScreen(ctx, campaign.id);
    else {
      const facts = await readCampaign(ctx, campaign.id);
      if (!facts) return [];
      rows = await reportingOf(ctx, facts);
    }
    return rows.map((row) => ({ tenant: { id: row.tenant.id }, campaign: ref(row.campaignId), report: row.report, state: row.state, submittedAt: row.submittedAt, late: row.late }));
  }
}
