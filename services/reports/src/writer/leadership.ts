import { inDateOrder } from './activities';
import { list, oneLine } from './text';
import { ReportSource, SourceCommittee } from './types';

/**
 * 组织领导: the committees as recorded ("成立了…领导小组，组长由八师党委常委、八师副师长张祖树担任，
 * 副组长由师市党委副秘书长牟中庆担任，成员包括…"), then the units that led and supported the
 * activities. With no committee recorded, a sentence that names none: nothing is invented.
 */

/** Roles in the order a roster lists them; other roles keep their recorded order, before 成员. */
const ROLE_ORDER = ['组长', '总指挥', '主任', '常务副组长', '副组长', '副总指挥', '常务副主任', '副主任', '秘书长', '副秘书长'];
const MEMBERS = ['成员', '委员'];
const CONTACTS = ['联系人'];

type Member = SourceCommittee['members'][number];

/** "八师党委常委、八师副师长张祖树": the title (else the unit) before the name. */
function person(member: Member): string {
  const name = oneLine(member.name);
  const title = oneLine(member.title) || oneLine(member.unit);
  return `${title}${name}`;
}

function rank(role: string): number {
  const known = ROLE_ORDER.indexOf(role);
  if (known !== -1) return known;
  if (MEMBERS.includes(role)) return ROLE_ORDER.length + 2;
  if (CONTACTS.includes(role)) return ROLE_ORDER.length + 3;
  return ROLE_ORDER.length + 1;
}

function committeeSentence(committee: SourceCommittee, opening: string): string {
  const name = oneLine(committee.name) || '工作机构';
  const byRole = new Map<string, string[]>();
  for (const member of committee.members ?? []) {
    const who = person(member);
    if (!who) continue;
    const role = oneLine(member.role) || '成员';
    byRole.set(role, [...(byRole.get(role) ?? []), who]);
  }
  const roles = [...byRole.keys()].sort((a, b) => rank(a) - rank(b));
  const parts = roles.map((role) => {
    const people = list(byRole.get(role)!);
    if (MEMBERS.includes(role)) return `${role}包括${people}`;
    if (CONTACTS.includes(role)) return `${role}为${people}`;
    return `${role}由${people}担任`;
  });
  return `${opening}${name}${parts.length ? `，${parts.join('，')}` : ''}。`;
}

/** `what`: how the committees' sentence names the campaign ("此次活动" after the opening paragraph). */
export function leadershipBody(source: ReportSource, what: string): string {
  const tenant = oneLine(source.tenant.name);
  const paragraphs: string[] = [];
  const committees = (source.committees ?? []).filter((c) => oneLine(c.name) || (c.members ?? []).length);
  committees.forEach((committee, index) => {
    const opening = index === 0 ? `为了办好${what}，${tenant}高度重视，成立了` : '同时成立了';
    paragraphs.push(committeeSentence(committee, opening));
  });
  if (!committees.length) paragraphs.push(`${tenant}高度重视${what}，认真研究部署，组织开展了各项活动。`);

  const activities = inDateOrder(source.activities ?? []);
  const leadNames = new Set(activities.map((a) => oneLine(a.leadUnit)).filter(Boolean));
  const leads = list([...leadNames]);
  const supporting = list(activities.flatMap((a) => a.supportingUnits ?? []).filter((u) => !leadNames.has(oneLine(u))));
  const led = leads ? `由${leads}${leadNames.size > 1 ? '分别' : ''}牵头` : '';
  if (led && supporting) paragraphs.push(`各项活动${led}，${supporting}等单位配合。`);
  else if (led) paragraphs.push(`各项活动${led}。`);
  else if (supporting) paragraphs.push(`${supporting}等单位参与了各项活动。`);
  return paragraphs.join('\n');
}
