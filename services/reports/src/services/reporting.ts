import { In } from 'typeorm';
import { ReportsContext } from '../context';
import { Report, ReportingState, SENT_UP } from '../entities';
import { CampaignFacts, readImplementations, readTenant } from './sources';
import { isLate } from './deadline';

/** One direct child tenant's reporting on a directive (API.md ReportingEntry). */
export interface ReportingRow {
  tenant: { id: string; name: string };
  campaignId: string | null;
  /** Readable by the caller (sent up, or its own); a DRAFT below is a state only. */
  report: Report | null;
  state: ReportingState;
  submittedAt: Date | null;
  late: boolean;
}

/**
 * For a directive's tenant (or an ancestor of it): one entry per direct child tenant of the
 * campaign's tenant — the campaign implementing this one there (NO_PLAN: none) and its
 * report's state. Anyone else (a child looking at its parent's directive) gets no entries:
 * siblings' reporting is not theirs to see.
 */
export async function reportingOf(ctx: ReportsContext, campaign: CampaignFacts, now = Date.now()): Promise<ReportingRow[]> {
  if (ctx.scope.isRoot || ctx.scope.isAnonymous || ctx.claims.screen) return [];
  const tenant = await readTenant(ctx, campaign.tenantId);
  if (!tenant) return [];
  const callerIsAtOrAbove = tenant.id === String(ctx.scope.tenantId) || tenant.ancestorIds.includes(String(ctx.scope.tenantId));
  if (!callerIsAtOrAbove || tenant.children.length === 0) return [];

  const implementations = await readImplementations(ctx, campaign.id);
  const childIds = new Set(tenant.children.map((c) => c.id));
  const planOf = new Map<string, { id: string; reportDueOn: string | null }>();
  for (const plan of implementations) if (childIds.has(plan.tenantId) && !planOf.has(plan.tenantId)) planOf.set(plan.tenantId, plan);
  const planIds = [...planOf.values()].map((p) => Number(p.id));
  // read with the caller's scope: the children's rows lie below the caller's path
  const reports = planIds.length ? await ctx.data.repo(Report).find({ campaignId: In(planIds) }) : [];
  const reportOf = new Map(reports.map((r) => [String(r.campaignId), r]));

  return tenant.children.map((child) => {
    const plan = planOf.get(child.id);
    const report = plan ? (reportOf.get(plan.id) ?? null) : null;
    const dueOn = report?.dueOn ?? plan?.reportDueOn ?? campaign.dueOn;
    const sent = !!report && SENT_UP.includes(report.status);
    const state = !plan ? ReportingState.NO_PLAN : !report ? ReportingState.NOT_STARTED : (report.status as unknown as ReportingState);
    return {
      tenant: child,
      campaignId: plan?.id ?? null,
      report: sent ? report : null,
      state,
      submittedAt: sent ? report!.submittedAt : null,
      late: isLate(dueOn, sent ? report!.submittedAt : null, now),
    };
  });
}
