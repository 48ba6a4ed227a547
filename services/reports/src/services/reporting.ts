import { querySubgraph } from '@cascade/kernel';
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
  return rowsFor(ctx, tenant.children, implementations, campaign.dueOn, now, true);
}

/** Due dates up a directive chain: the campaign's own, else the nearest above (national → street: 5 levels). */
const CHAIN = 'reportDueOn implements { reportDueOn implements { reportDueOn implements { reportDueOn implements { reportDueOn } } } }';
interface ChainRow {
  reportDueOn: string | null;
  implements?: ChainRow | null;
}
interface PlanRow {
  id: string;
  reportDueOn: string | null;
  tenant: { id: string };
}
interface BoardCampaign extends ChainRow {
  id: string;
  tenant: { id: string };
  implementations: (PlanRow & { implementations: PlanRow[] })[];
}

/**
 * A roll-up board (a screen link on tenant T for campaign C) marks each of T's direct children
 * 已报送 or 未报送: the states of T's plan for C (C itself when it is T's, else T's campaign
 * implementing it), never a report. Only for the board's own campaign; anything else a screen
 * asks answers no entries. Read through the board's own roll-up, the one root field its claim
 * may ask campaigns for, with the screen's claims (kernel screen-rules.ts SUBGRAPH_FIELDS).
 */
export async function reportingForScreen(ctx: ReportsContext, campaignId: string, now = Date.now()): Promise<ReportingRow[]> {
  const screen = ctx.claims.screen;
  if (!screen?.tenantId || !screen.campaignId || screen.campaignId !== campaignId) return [];
  const url = ctx.reports.config.CAMPAIGNS_URL;
  if (!url) throw new Error('CAMPAIGNS_URL is not configured: reports cannot read campaigns');
  const answer = await querySubgraph<{ rollup: { children: { tenant: { id: string } }[]; campaign: BoardCampaign | null } }>(
    { url, secret: ctx.reports.internalSecret, claims: ctx.claims },
    `query($t: ID!, $c: ID) { rollup(tenantId: $t, campaignId: $c) { children { tenant { id } }
      campaign { id tenant { id } ${CHAIN} implementations { id reportDueOn tenant { id } implementations { id reportDueOn tenant { id } } } } } }`,
    { t: screen.tenantId, c: screen.campaignId },
    'Reading the board',
  );
  if (answer.errors.length) throw new Error(`Reading the board failed: ${answer.errors[0].message}`);
  const rollup = answer.data?.rollup;
  if (!rollup?.campaign) return [];
  const board = rollup.campaign;
  const children = rollup.children.map((c) => ({ id: c.tenant.id, name: '' }));
  if (board.tenant.id === screen.tenantId) return rowsFor(ctx, children, plans(board.implementations), chainDue(board), now, false);
  // a directive from above: the board's tenant's children report on its own plan for it; with
  // no such plan found (none, or further down a longer chain) the board states nothing rather
  // than a guess
  const own = board.implementations.find((p) => p.tenant.id === screen.tenantId);
  if (!own) return [];
  return rowsFor(ctx, children, plans(own.implementations), own.reportDueOn ?? chainDue(board), now, false);
}

function chainDue(row: ChainRow | null | undefined): string | null {
  for (let at = row; at; at = at.implements) if (at.reportDueOn) return at.reportDueOn;
  return null;
}

function plans(rows: PlanRow[]): { id: string; tenantId: string; reportDueOn: string | null }[] {
  return rows.map((p) => ({ id: p.id, tenantId: p.tenant.id, reportDueOn: p.reportDueOn }));
}

/** One row per child: its plan among `implementations` (NO_PLAN: none) and its report's state. */
async function rowsFor(
  ctx: ReportsContext,
  children: { id: string; name: string }[],
  implementations: { id: string; tenantId: string; reportDueOn: string | null }[],
  campaignDueOn: string | null,
  now: number,
  withReports: boolean,
): Promise<ReportingRow[]> {
  const childIds = new Set(children.map((c) => c.id));
  const planOf = new Map<string, { id: string; reportDueOn: string | null }>();
  for (const plan of implementations) if (childIds.has(plan.tenantId) && !planOf.has(plan.tenantId)) planOf.set(plan.tenantId, plan);
  const planIds = [...planOf.values()].map((p) => Number(p.id));
  // read with the caller's scope: the children's rows lie below the caller's path
  const reports = planIds.length ? await ctx.data.repo(Report).find({ campaignId: In(planIds) }) : [];
  const reportOf = new Map(reports.map((r) => [String(r.campaignId), r]));

  return children.map((child) => {
    const plan = planOf.get(child.id);
    const report = plan ? (reportOf.get(plan.id) ?? null) : null;
    const dueOn = report?.dueOn ?? plan?.reportDueOn ?? campaignDueOn;
    const sent = !!report && SENT_UP.includes(report.status);
    const state = !plan ? ReportingState.NO_PLAN : !report ? ReportingState.NOT_STARTED : (report.status as unknown as ReportingState);
    return {
      tenant: child,
      campaignId: withReports ? (plan?.id ?? null) : null,
      // a screen sees states, never a report
      report: withReports && sent ? report : null,
      state,
      submittedAt: sent ? report!.submittedAt : null,
      late: isLate(dueOn, sent ? report!.submittedAt : null, now),
    };
  });
}
