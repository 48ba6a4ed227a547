import { appError, ErrorCode, fetchEntities, notFound, querySubgraph, SubgraphCaller } from '@cascade/kernel';
import { ReportsContext } from '../context';
import { FigureValue, SourceActivity, SourceCommittee } from '../writer/types';

/**
 * What a report is written from, read from campaigns and org as the caller (the same claims,
 * signed like the gateway's): each owner scopes its answer exactly as for the caller's own
 * query, so a report can never state what its author could not read.
 */

export interface CampaignFacts {
  id: string;
  title: string;
  theme: string | null;
  startsOn: string;
  endsOn: string;
  tenantId: string;
  /** The campaign's own reportDueOn, else the nearest one up its directive chain. */
  dueOn: string | null;
  /** The campaign's and every visible directive's up its chain. */
  requiredIndicators: string[];
}

export interface TenantFacts {
  id: string;
  name: string;
  level: string;
  parentId: string | null;
  /** Ids of the tenants above it, as org lists them. */
  ancestorIds: string[];
  children: { id: string; name: string }[];
}

const CAMPAIGN_FIELDS = 'id title theme startsOn endsOn reportDueOn requiredIndicators tenant { id }';

interface CampaignRow {
  id: string;
  title: string;
  theme: string | null;
  startsOn: string;
  endsOn: string;
  reportDueOn: string | null;
  requiredIndicators: string[];
  tenant: { id: string };
  implements: CampaignRow | null;
}

/** Directive chains are as deep as the tenant tree (national → street: 5); a cycle cannot exist, a bound is cheap. */
const MAX_CHAIN = 12;

function caller(ctx: ReportsContext, url: string | undefined, name: string): SubgraphCaller {
  if (!url) throw new Error(`${name.toUpperCase()}_URL is not configured: reports cannot read ${name}`);
  return { url, secret: ctx.reports.internalSecret, claims: ctx.claims };
}

async function ask<T>(ctx: ReportsContext, service: 'campaigns' | 'org', query: string, variables: Record<string, unknown>): Promise<T> {
  const url = service === 'campaigns' ? ctx.reports.config.CAMPAIGNS_URL : ctx.reports.config.ORG_URL;
  const answer = await querySubgraph<T>(caller(ctx, url, service), query, variables, `Reading ${service}`);
  const failure = answer.errors[0];
  if (failure) {
    const code = failure.extensions?.code;
    // the owner's own coded refusal (FORBIDDEN, NOT_FOUND) is the caller's answer here too
    if (code && code !== 'INTERNAL_SERVER_ERROR') throw appError(code as ErrorCode, failure.message);
    throw new Error(`Reading ${service} failed: ${failure.message}`);
  }
  if (!answer.data) throw new Error(`Reading ${service} answered no data`);
  return answer.data;
}

/** The campaign as the caller sees it, with its due date and required indicators up its chain; null when invisible. */
export async function readCampaign(ctx: ReportsContext, id: string): Promise<CampaignFacts | null> {
  const { campaign } = await ask<{ campaign: CampaignRow | null }>(ctx, 'campaigns', `query($id: ID!) { campaign(id: $id) { ${CAMPAIGN_FIELDS} implements { id } } }`, { id });
  if (!campaign) return null;
  let dueOn = campaign.reportDueOn;
  const required = new Set(campaign.requiredIndicators);
  let next = campaign.implements?.id ?? null;
  for (let depth = 0; next && depth < MAX_CHAIN; depth++) {
    const { campaign: directive } = await ask<{ campaign: CampaignRow | null }>(ctx, 'campaigns', `query($id: ID!) { campaign(id: $id) { ${CAMPAIGN_FIELDS} implements { id } } }`, { id: next });
    if (!directive) break; // a directive the caller may not read states nothing here
    dueOn ??= directive.reportDueOn;
    for (const indicator of directive.requiredIndicators) required.add(indicator);
    next = directive.implements?.id ?? null;
  }
  return {
    id: campaign.id,
    title: campaign.title,
    theme: campaign.theme,
    startsOn: campaign.startsOn,
    endsOn: campaign.endsOn,
    tenantId: campaign.tenant.id,
    dueOn,
    requiredIndicators: [...required],
  };
}

export async function requireCampaign(ctx: ReportsContext, id: string): Promise<CampaignFacts> {
  const campaign = await readCampaign(ctx, id);
  if (!campaign) throw notFound('Campaign');
  return campaign;
}

interface ActivityRow {
  id: string;
  title: string;
  kind: string;
  startsAt: string;
  endsAt: string | null;
  location: string | null;
  tenant: { id: string };
  leadUnit: { id: string } | null;
  supportingUnits: { id: string }[];
  statistics: FigureValue[];
  targets: { indicator: string; value: number }[];
}

/** The campaign's own activities (of its tenant) and the roll-up of its tenant and descendants. */
export async function readActivitiesAndTotals(ctx: ReportsContext, campaign: CampaignFacts): Promise<{ activities: SourceActivity[]; totals: FigureValue[] }> {
  const data = await ask<{ campaign: { activities: ActivityRow[] } | null; rollup: { totals: FigureValue[] } }>(
    ctx,
    'campaigns',
    `query($id: ID!, $tenantId: ID!) {
      campaign(id: $id) { activities { id title kind startsAt endsAt location tenant { id } leadUnit { id } supportingUnits { id }
        statistics { indicator value approximate } targets { indicator value } } }
      rollup(tenantId: $tenantId, campaignId: $id) { totals { indicator value approximate } }
    }`,
    { id: campaign.id, tenantId: campaign.tenantId },
  );
  const rows = (data.campaign?.activities ?? []).filter((a) => a.tenant.id === campaign.tenantId);
  const unitIds = [...new Set(rows.flatMap((a) => [a.leadUnit?.id, ...a.supportingUnits.map((u) => u.id)]).filter((id): id is string => !!id))];
  const names = await unitNames(ctx, unitIds);
  const activities = rows.map((a) => ({
    id: a.id,
    title: a.title,
    kind: a.kind,
    startsAt: a.startsAt,
    endsAt: a.endsAt,
    location: a.location,
    leadUnit: a.leadUnit ? (names.get(a.leadUnit.id) ?? null) : null,
    supportingUnits: a.supportingUnits.map((u) => names.get(u.id)).filter((name): name is string => !!name),
    statistics: a.statistics,
    targets: a.targets,
  }));
  return { activities, totals: data.rollup.totals };
}

async function unitNames(ctx: ReportsContext, ids: string[]): Promise<Map<string, string>> {
  const org = caller(ctx, ctx.reports.config.ORG_URL, 'org');
  const units = await fetchEntities<{ id: string; name: string }>(org, 'Unit', ids, 'id name');
  return new Map(units.filter((u): u is { id: string; name: string } => !!u).map((u) => [u.id, u.name]));
}

interface TenantRow {
  id: string;
  name: string;
  level: string;
  parent?: { id: string } | null;
  ancestors?: { id: string }[];
  children: { id: string; name: string }[];
  committees?: { name: string; members: { role: string; person: { name: string; title: string | null; unit: { name: string } | null } }[] }[];
}

/** The tenant as the caller sees it (name, level, direct children); null when invisible. */
export async function readTenant(ctx: ReportsContext, id: string): Promise<TenantFacts | null> {
  const { tenant } = await ask<{ tenant: TenantRow | null }>(
    ctx,
    'org',
    'query($id: ID!) { tenant(id: $id) { id name level parent { id } ancestors { id } children { id name } } }',
    { id },
  );
  if (!tenant) return null;
  return {
    id: tenant.id,
    name: tenant.name,
    level: tenant.level,
    parentId: tenant.parent?.id ?? null,
    ancestorIds: (tenant.ancestors ?? []).map((a) => a.id),
    children: tenant.children,
  };
}

/** The committees of the caller's own tenant, with members' titles and units (组织领导). */
export async function readCommittees(ctx: ReportsContext, tenantId: string): Promise<SourceCommittee[]> {
  const { tenant } = await ask<{ tenant: TenantRow | null }>(
    ctx,
    'org',
    'query($id: ID!) { tenant(id: $id) { id committees { name members { role person { name title unit { name } } } } } }',
    { id: tenantId },
  );
  return (tenant?.committees ?? []).map((c) => ({
    name: c.name,
    members: c.members.map((m) => ({ role: m.role, name: m.person.name, title: m.person.title, unit: m.person.unit?.name ?? null })),
  }));
}

/** Campaigns implementing this one, as the caller sees them (with their tenants and due dates). */
export async function readImplementations(ctx: ReportsContext, campaignId: string): Promise<{ id: string; tenantId: string; reportDueOn: string | null }[]> {
  const { campaign } = await ask<{ campaign: { implementations: { id: string; reportDueOn: string | null; tenant: { id: string } }[] } | null }>(
    ctx,
    'campaigns',
    'query($id: ID!) { campaign(id: $id) { implementations { id reportDueOn tenant { id } } } }',
    { id: campaignId },
  );
  return (campaign?.implementations ?? []).map((c) => ({ id: c.id, tenantId: c.tenant.id, reportDueOn: c.reportDueOn }));
}

/** Locks or unlocks the campaign's statistics (campaigns' hidden setStatisticsLock) as the caller. */
export async function setStatisticsLock(ctx: ReportsContext, campaignId: string, locked: boolean): Promise<void> {
  await ask<{ setStatisticsLock: boolean }>(ctx, 'campaigns', 'mutation($id: ID!, $locked: Boolean!) { setStatisticsLock(campaignId: $id, locked: $locked) }', { id: campaignId, locked });
}
