import { GraphQLClient } from '../client';
import { demoCampaigns, DemoCampaign } from './campaigns-demo';
import { loadDemoAssets } from './media-demo';
import { DEMO_EXTRA_USERS, DEMO_PASSWORD, DEMO_TENANTS } from './org-demo';
import { closeFinishedCampaigns, writeDemoReports } from './reports-demo';

export interface DemoIds {
  tenants: Record<string, string>;
  units: Record<string, Record<string, string>>;
  campaigns: Record<string, string>;
  /** campaign key → its report's id (八师's SUBMITTED, 鼓楼区's DRAFT) */
  reports: Record<string, string>;
}

/**
 * Loads the demo data through the public API (signed in as root, then as each tenant's
 * admin), so it passes every rule a client's data passes. Returns null when tenants
 * already exist (a second start keeps the data). The order is the one the API demands:
 * campaigns, their activities and statistics; media; then each finished week's report
 * (generated, and submitted where the week is over); only then is a finished campaign closed.
 */
export async function loadDemoData(gatewayUrl: string, rootEmail: string, rootPassword: string, now = new Date()): Promise<DemoIds | null> {
  const root = await new GraphQLClient(gatewayUrl).signIn(rootEmail, rootPassword);
  const existing = await root.run<{ tenants: { totalCount: number } }>('{ tenants(first: 1) { totalCount } }');
  if (existing.tenants.totalCount > 0) return null;

  const ids: DemoIds = { tenants: {}, units: {}, campaigns: {}, reports: {} };
  for (const tenant of DEMO_TENANTS) {
    const created = await root.run<{ createTenant: { id: string } }>(
      'mutation($input: CreateTenantInput!) { createTenant(input: $input) { id } }',
      { input: { name: tenant.name, code: tenant.code, level: tenant.level, parentId: tenant.parent ? ids.tenants[tenant.parent] : null } },
    );
    ids.tenants[tenant.key] = created.createTenant.id;
    await createUser(root, ids.tenants[tenant.key], tenant.adminEmail, `${tenant.name}管理员`, 'ADMIN');
  }
  for (const user of DEMO_EXTRA_USERS) await createUser(root, ids.tenants[user.tenant], user.email, user.name, user.role);

  for (const tenant of DEMO_TENANTS) {
    const admin = await new GraphQLClient(gatewayUrl).signIn(tenant.adminEmail, DEMO_PASSWORD);
    const units: Record<string, string> = {};
    for (const name of tenant.units) {
      const r = await admin.run('mutation($input: CreateUnitInput!) { createUnit(input: $input) { id } }', { input: { name } });
      units[name] = r.createUnit.id;
    }
    ids.units[tenant.key] = units;
    const people: Record<string, string> = {};
    for (const person of tenant.people) {
      const r = await admin.run('mutation($input: CreatePersonInput!) { createPerson(input: $input) { id } }', {
        input: { name: person.name, title: person.title, unitId: person.unit ? units[person.unit] : null },
      });
      people[person.name] = r.createPerson.id;
    }
    for (const committee of tenant.committees) {
      const r = await admin.run('mutation($input: CreateCommitteeInput!) { createCommittee(input: $input) { id } }', {
        input: { name: committee.name },
      });
      for (const member of committee.members) {
        await admin.run('mutation($input: AddCommitteeMemberInput!) { addCommitteeMember(input: $input) { role } }', {
          input: { committeeId: r.createCommittee.id, personId: people[member.person], role: member.role },
        });
      }
    }
  }
  const campaigns = demoCampaigns(now);
  for (const campaign of campaigns) {
    ids.campaigns[campaign.key] = await loadCampaign(await adminOf(gatewayUrl, campaign.tenant), campaign, ids);
  }
  const venueEditor = await new GraphQLClient(gatewayUrl).signIn('editor@bashi.demo', DEMO_PASSWORD);
  await loadDemoAssets(gatewayUrl, venueEditor, ids.campaigns.bashi);
  ids.reports = await writeDemoReports(campaigns, ids.campaigns, (tenant) => adminOf(gatewayUrl, tenant));
  await closeFinishedCampaigns(campaigns, ids.campaigns, (tenant) => adminOf(gatewayUrl, tenant));
  return ids;
}

/** The admin of a demo tenant, signed in. */
function adminOf(gatewayUrl: string, tenantKey: string): Promise<GraphQLClient> {
  return new GraphQLClient(gatewayUrl).signIn(DEMO_TENANTS.find((t) => t.key === tenantKey)!.adminEmail, DEMO_PASSWORD);
}

/**
 * One campaign with its activities, statistics, tasks and slogans, as its tenant's admin. It is
 * moved up to IN_PROGRESS at most: closing waits for its report (closeFinishedCampaigns).
 */
async function loadCampaign(admin: GraphQLClient, campaign: DemoCampaign, ids: DemoIds): Promise<string> {
  // a unit of the campaign's tenant; a supporting unit may also be one of a tenant above (兵团's offices at 八师's activities)
  const unit = (name: string, above = false) => {
    for (let key: string | null = campaign.tenant; key; key = above ? (DEMO_TENANTS.find((t) => t.key === key)?.parent ?? null) : null) {
      const id = ids.units[key]?.[name];
      if (id) return id;
    }
    throw new Error(`demo data: no unit ${name} in ${campaign.tenant}${above ? ' or above it' : ''}`);
  };
  const created = await admin.run<{ createCampaign: { id: string } }>('mutation($i: CreateCampaignInput!) { createCampaign(input: $i) { id } }', {
    i: {
      title: campaign.title, theme: campaign.theme, startsOn: campaign.startsOn, endsOn: campaign.endsOn,
      focusPoints: campaign.focusPoints ?? [], reportDueOn: campaign.reportDueOn,
      implementsId: campaign.implements ? ids.campaigns[campaign.implements] : null,
      ...(campaign.requiredIndicators ? { requiredIndicators: campaign.requiredIndicators } : {}),
    },
  });
  const id = created.createCampaign.id;
  const moves = campaign.status === 'PUBLISHED' ? ['PUBLISHED'] : ['PUBLISHED', 'IN_PROGRESS'];
  for (const status of moves) await admin.run('mutation($id: ID!, $s: CampaignStatus!) { setCampaignStatus(id: $id, status: $s) { id } }', { id, s: status });
  for (const activity of campaign.activities ?? []) {
    const a = await admin.run<{ createActivity: { id: string } }>('mutation($i: CreateActivityInput!) { createActivity(input: $i) { id } }', {
      i: {
        campaignId: id, title: activity.title, kind: activity.kind, startsAt: activity.startsAt, endsAt: activity.endsAt, location: activity.location,
        leadUnitId: activity.lead ? unit(activity.lead) : null, supportingUnitIds: (activity.supporting ?? []).map((name) => unit(name, true)),
        targets: (activity.targets ?? []).map(([indicator, value]) => ({ indicator, value })),
      },
    });
    for (const [indicator, value, approximate] of activity.statistics ?? []) {
      await admin.run('mutation($i: RecordStatisticInput!) { recordStatistic(input: $i) { id } }', { i: { activityId: a.createActivity.id, indicator, value, approximate } });
    }
  }
  for (const task of campaign.tasks ?? []) {
    const t = await admin.run<{ assignTask: { id: string } }>('mutation($i: AssignTaskInput!) { assignTask(input: $i) { id } }', {
      i: { campaignId: id, unitId: unit(task.unit), title: task.title, dueOn: task.dueOn },
    });
    if (task.done) await admin.run('mutation($id: ID!) { completeTask(id: $id) { id } }', { id: t.assignTask.id });
  }
  for (const slogan of campaign.slogans ?? []) {
    await admin.run('mutation($i: AddSloganInput!) { addSlogan(input: $i) { id } }', { i: { campaignId: id, text: slogan.text, unitId: slogan.unit ? unit(slogan.unit) : null } });
  }
  return id;
}

async function createUser(root: GraphQLClient, tenantId: string, email: string, name: string, role: string) {
  await root.run('mutation($input: CreateUserInput!) { createUser(input: $input) { id } }', {
    input: { tenantId, email, name, password: DEMO_PASSWORD, role },
  });
}

/** The demo sign-ins, as printed at start. */
export function demoSignIns(): { tenant: string; email: string; password: string; role: string }[] {
  return [
    ...DEMO_TENANTS.map((t) => ({ tenant: t.name, email: t.adminEmail, password: DEMO_PASSWORD, role: 'ADMIN' })),
    ...DEMO_EXTRA_USERS.map((u) => ({
      tenant: DEMO_TENANTS.find((t) => t.key === u.tenant)!.name,
      email: u.email,
      password: DEMO_PASSWORD,
      role: u.role,
    })),
  ];
}
