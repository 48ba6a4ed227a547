import { GraphQLClient } from '@cascade/app';
import { PASSWORD } from './platform';

/**
 * What the durable-event tests distribute against: 全国 → (甲省 →) 甲市, an editor at the city
 * with a campaign, an activity and a flyer linked to it, and a viewer at the nation who reads
 * the roll-up two levels up.
 */
export interface DistributionTarget {
  nationId: string;
  activityId: string;
  assetId: string;
  editor: GraphQLClient;
  nationViewer: GraphQLClient;
}

export async function distributionTarget(root: GraphQLClient, tag: string, withProvince = true): Promise<DistributionTarget> {
  const tenant = async (name: string, level: string, parentId: string | null) =>
    (await root.run('mutation($i: CreateTenantInput!) { createTenant(input: $i) { id } }', { i: { name, level, parentId } })).createTenant.id as string;
  const user = async (tenantId: string, email: string, role: string) => {
    await root.run('mutation($i: CreateUserInput!) { createUser(input: $i) { id } }', { i: { tenantId, email, name: '用户', password: PASSWORD, role } });
    return root.withToken(null).signIn(email, PASSWORD);
  };
  const nationId = await tenant('全国', 'NATIONAL', null);
  const city = await tenant('甲市', 'CITY', withProvince ? await tenant('甲省', 'PROVINCE', nationId) : nationId);
  const nationViewer = await user(nationId, `viewer@nation.${tag}.test`, 'VIEWER');
  const editor = await user(city, `editor@city.${tag}.test`, 'EDITOR');
  const c = await editor.run('mutation($i: CreateCampaignInput!) { createCampaign(input: $i) { id } }', { i: { title: '宣传周', startsOn: '2024-04-20', endsOn: '2024-04-26' } });
  const a = await editor.run('mutation($i: CreateActivityInput!) { createActivity(input: $i) { id } }', {
    i: { campaignId: c.createCampaign.id, title: '发放宣传资料', kind: 'OTHER', startsAt: '2024-04-20T02:00:00Z' },
  });
  const r = await editor.run('mutation($i: RequestUploadInput!) { requestUpload(input: $i) { asset { id } } }', {
    i: { title: '宣传单', kind: 'FLYER', fileName: 'leaflet.pdf', contentType: 'application/pdf', byteSize: 1000, activityId: a.createActivity.id },
  });
  return { nationId, activityId: a.createActivity.id, assetId: r.requestUpload.asset.id, editor, nationViewer };
}

export const DISTRIBUTE = 'mutation($i: RecordDistributionInput!) { recordDistribution(input: $i) { quantityDistributed } }';

/** MATERIALS_DISTRIBUTED of the activity, and in the nation's roll-up. */
export async function materialsCounted(target: DistributionTarget): Promise<{ statistic: number; rollup: number }> {
  const stat = await target.editor.run('query($id: ID!) { activity(id: $id) { statistics { indicator value } } }', { id: target.activityId });
  const rollup = await target.nationViewer.run('query($t: ID!) { rollup(tenantId: $t) { totals { indicator value } } }', { t: target.nationId });
  const materials = (list: { indicator: string; value: number }[]) => list.find((s) => s.indicator === 'MATERIALS_DISTRIBUTED')?.value ?? 0;
  return { statistic: materials(stat.activity.statistics), rollup: materials(rollup.rollup.totals) };
}
