import { indicatorLabel } from '@cascade/kernel';
import { figureClauses, figureMap } from './clauses';
import { activityWhen } from './dates';
import { list, oneLine } from './text';
import { GeneratedMissing, IndicatorName, SourceActivity } from './types';

/**
 * 活动开展情况: one paragraph per activity in date order — when, who led (牵头) and supported
 * (配合), where, what — then its figures ("活动期间，参加人数达到3600余人，发放宣传资料2万余份，
 * 展出展板130余块。"). The figure an activity of its kind is held to (an exhibition's visitors), or
 * that it has a target for, reads "观展人次（未统计）" when nothing was recorded, and is missing.
 */

/** The figure each kind of activity is expected to state (the documents' own practice). */
export const EXPECTED_BY_KIND: Record<string, IndicatorName> = {
  OPENING_CEREMONY: 'PARTICIPANTS',
  SIGNATURE_DRIVE: 'SIGNATURES',
  EXHIBITION: 'VISITORS',
  CONSULTATION: 'CONSULTATIONS',
  TRAINING: 'TRAINEES',
  JOINT_ENFORCEMENT: 'ENFORCEMENT_OFFICERS',
};

const VERB_BY_KIND: Record<string, string> = {
  OPENING_CEREMONY: '举行',
  FORUM: '召开',
  EXHIBITION: '举办',
  TRAINING: '举办',
  MEDIA_INTERVIEW: '开展',
};

function own<T>(table: Record<string, T>, key: string): T | undefined {
  return Object.prototype.hasOwnProperty.call(table, key) ? table[key] : undefined;
}

function time(iso: string): number {
  const ms = new Date(iso).getTime();
  return Number.isNaN(ms) ? Number.POSITIVE_INFINITY : ms;
}

/** By start, then end, then title and id: the same source always reads the same. */
export function inDateOrder(activities: SourceActivity[]): SourceActivity[] {
  return [...activities].sort(
    (a, b) =>
      time(a.startsAt) - time(b.startsAt) ||
      time(a.endsAt ?? a.startsAt) - time(b.endsAt ?? b.startsAt) ||
      (a.title < b.title ? -1 : a.title > b.title ? 1 : 0) ||
      (a.id < b.id ? -1 : a.id > b.id ? 1 : 0),
  );
}

export function activityParagraph(activity: SourceActivity, missing: GeneratedMissing[]): string {
  const title = oneLine(activity.title) || '活动';
  const when = activityWhen(activity.startsAt, activity.endsAt);
  const lead = oneLine(activity.leadUnit);
  const supporting = list((activity.supportingUnits ?? []).filter((u) => oneLine(u) !== lead));
  const where = oneLine(activity.location);
  const verb = own(VERB_BY_KIND, activity.kind) ?? '开展';

  const leadIn = [when, lead && `${lead}牵头`, supporting && `${supporting}${lead ? '配合' : '参与'}`].filter(Boolean).join('，');
  const opening = `${leadIn ? `${leadIn}，` : ''}${where ? `在${where}` : ''}${verb}${title}。`;

  const figures = figureMap(activity.statistics ?? []);
  const expected = [own(EXPECTED_BY_KIND, activity.kind), ...(activity.targets ?? []).map((t) => t?.indicator)].filter(
    (i): i is IndicatorName => typeof i === 'string' && !!i,
  );
  const unstated = [...new Set(expected)].filter((i) => !figures.has(i));
  for (const indicator of unstated) {
    missing.push({ indicator, activityId: activity.id, message: `“${innerQuotes(title)}”的${indicatorLabel(indicator)?.label ?? indicator}未统计` });
  }
  const clauses = figureClauses(figures, unstated);
  return clauses.length ? `${opening}活动期间，${clauses.map((c) => c.text).join('，')}。` : opening;
}

export function activitiesBody(activities: SourceActivity[], missing: GeneratedMissing[]): string {
  if (!activities.length) return '本级未录入具体活动。';
  return inDateOrder(activities)
    .map((activity) => activityParagraph(activity, missing))
    .join('\n');
}

/** Quotes inside quotes are single, as Chinese documents nest them: “…‘真假药品’…”. */
function innerQuotes(text: string): string {
  return text.replace(/“/g, '‘').replace(/”/g, '’');
}
