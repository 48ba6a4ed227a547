/**
 * Figures as Chinese official documents write them ("3600余人", "2万余份", "6.5万份", "56人"), and
 * the one table of indicator names, units and report phrases: shared by the reports (Node, through
 * the kernel's index) and the big-screen page (browser: gateway/screen/src/labels.ts is a symlink
 * to this file, compiled there as an ES module). So this file imports nothing and uses no Node or
 * DOM API, only ES2020.
 */

export interface IndicatorLabel {
  /** The name a screen tile and a "（未统计）" clause use: "观展人次". */
  label: string;
  /** The counting word after the number: "人", "份", "人次". */
  unit: string;
  /** A report clause; {v} is the figure with its unit: "发放宣传资料{v}" → "发放宣传资料2万余份". */
  phrase: string;
}

/**
 * In the order a report states them (主要成效) and a screen shows its tiles. Every Indicator of the
 * campaigns subgraph has an entry (test/figures-labels.test.ts).
 */
export const INDICATORS: Record<string, IndicatorLabel> = {
  SIGNATURES: { label: '签名人数', unit: '人', phrase: '征集签名{v}' },
  PARTICIPANTS: { label: '参加人数', unit: '人', phrase: '参加人数达到{v}' },
  VISITORS: { label: '观展人次', unit: '人次', phrase: '观展人次达到{v}' },
  CONSULTATIONS: { label: '咨询人次', unit: '人次', phrase: '接受群众咨询{v}' },
  MATERIALS_DISTRIBUTED: { label: '发放宣传资料', unit: '份', phrase: '发放宣传资料{v}' },
  DISPLAY_BOARDS: { label: '展板', unit: '块', phrase: '展出展板{v}' },
  BANNERS: { label: '横幅', unit: '条', phrase: '悬挂横幅{v}' },
  CONSULTATION_POINTS: { label: '咨询服务点', unit: '个', phrase: '设立咨询服务点{v}' },
  PUBLICITY_VEHICLES: { label: '宣传车', unit: '辆', phrase: '出动宣传车{v}' },
  ENTERPRISES_TRAINED: { label: '培训企业', unit: '家', phrase: '培训企业{v}' },
  TRAINEES: { label: '培训人数', unit: '人', phrase: '培训人员{v}' },
  ENFORCEMENT_OFFICERS: { label: '出动执法人员', unit: '人次', phrase: '出动执法人员{v}' },
  BUSINESSES_INSPECTED: { label: '检查经营户', unit: '户次', phrase: '检查经营户{v}' },
  CASES_FILED: { label: '立案查处', unit: '件', phrase: '立案查处侵权案件{v}' },
  ITEMS_CONFISCATED: { label: '收缴物品', unit: '件', phrase: '收缴侵权物品{v}' },
  MEDIA_REPORTS: { label: '报道篇次', unit: '篇次', phrase: '新闻媒体报道{v}' },
  PRESS_CONFERENCES: { label: '新闻发布会', unit: '场', phrase: '召开新闻发布会{v}' },
  UNITS_ATTENDING: { label: '参加单位', unit: '个', phrase: '{v}单位参加' },
  ENTERPRISES_ATTENDING: { label: '参加企业', unit: '家', phrase: '{v}企业参加' },
  COMPLAINTS_RECEIVED: { label: '受理投诉举报', unit: '件', phrase: '受理投诉举报{v}' },
};

export const INDICATOR_ORDER: string[] = Object.keys(INDICATORS);

/**
 * Two figures a document states in one clause, at the place of the first: "参加培训的15家企业共计56人".
 * Only when both are known; otherwise each is stated on its own.
 */
export const PAIRED_FIGURES: { first: string; second: string; phrase: string }[] = [
  { first: 'ENTERPRISES_TRAINED', second: 'TRAINEES', phrase: '参加培训的{0}企业共计{1}' },
];

/** The table's entry, or null for a name it does not hold (never Object.prototype's `constructor`). */
export function indicatorLabel(indicator: string): IndicatorLabel | null {
  return Object.prototype.hasOwnProperty.call(INDICATORS, indicator) ? INDICATORS[indicator] : null;
}

/** Position in the table's order; unknown names sort after every known one. */
export function indicatorRank(indicator: string): number {
  const index = INDICATOR_ORDER.indexOf(indicator);
  return index === -1 ? INDICATOR_ORDER.length : index;
}

/** A count is a non-negative safe integer (SafeInt): anything else has no written form. */
export function isCount(value: unknown): value is number {
  return typeof value === 'number' && Number.isSafeInteger(value) && value >= 0;
}

/** "1.5" for 15000 in 万: at most one decimal; only called when it is exact. */
function scaled(value: number, base: number): string {
  const whole = (value - (value % base)) / base;
  const tenth = (value % base) / (base / 10);
  return tenth ? `${whole}.${tenth}` : String(whole);
}

/**
 * The number alone, no separators: round values (a multiple of 1000 from 1万, of 1000万 from 1亿)
 * in 万 or 亿 with at most one decimal ("6.5万", "12万", "10亿"); every other value in plain digits
 * ("10500", "3600"), never rounded: the written figure is the recorded one.
 */
export function figureNumber(value: number): string {
  if (!isCount(value)) throw new RangeError(`not a count: ${String(value)}`);
  if (value >= 1e8 && value % 1e7 === 0) return `${scaled(value, 1e8)}亿`;
  if (value >= 1e4 && value % 1e3 === 0) return `${scaled(value, 1e4)}万`;
  return String(value);
}

/** The parts a screen tile shows separately: "6.5万" + "余" + "份". */
export interface FigureParts {
  number: string;
  approx: '余' | '';
  unit: string;
}

export function figureParts(indicator: string, value: number, approximate: boolean): FigureParts {
  return { number: figureNumber(value), approx: approximate ? '余' : '', unit: indicatorLabel(indicator)?.unit ?? '' };
}

/** "3600余人", "2万余份", "56人": 余 after the number when approximate, then the unit. */
export function formatCount(value: number, approximate: boolean, unit = ''): string {
  return `${figureNumber(value)}${approximate ? '余' : ''}${unit}`;
}

/** formatCount with the indicator's unit from the table ("6.5万份"); an unknown indicator has no unit. */
export function formatFigure(indicator: string, value: number, approximate: boolean): string {
  return formatCount(value, approximate, indicatorLabel(indicator)?.unit ?? '');
}

/** The report clause: "发放宣传资料2万余份"; an unknown indicator reads "<NAME>3600". */
export function figurePhrase(indicator: string, value: number, approximate: boolean): string {
  return fillPhrase(indicatorLabel(indicator)?.phrase ?? `${indicator}{v}`, formatFigure(indicator, value, approximate));
}

/** A figure that could not be stated: "观展人次（未统计）" — never a blank where the number goes. */
export function unstatedPhrase(indicator: string): string {
  return `${indicatorLabel(indicator)?.label ?? indicator}（未统计）`;
}

/** The paired clause: "参加培训的15家企业共计56人". */
export function pairedPhrase(pair: { phrase: string; first: string; second: string }, first: { value: number; approximate: boolean }, second: { value: number; approximate: boolean }): string {
  return pair.phrase
    .replace('{0}', () => formatFigure(pair.first, first.value, first.approximate))
    .replace('{1}', () => formatFigure(pair.second, second.value, second.approximate));
}

function fillPhrase(phrase: string, figure: string): string {
  return phrase.replace('{v}', () => figure);
}

/** Wall-clock parts of an instant in Asia/Shanghai (UTC+8, no daylight saving); null when not a date. */
export function shanghaiParts(iso: string): { year: number; month: number; day: number; hour: number; minute: number; second: number } | null {
  const ms = new Date(iso).getTime();
  if (Number.isNaN(ms)) return null;
  const d = new Date(ms + 8 * 3600 * 1000);
  return { year: d.getUTCFullYear(), month: d.getUTCMonth() + 1, day: d.getUTCDate(), hour: d.getUTCHours(), minute: d.getUTCMinutes(), second: d.getUTCSeconds() };
}

/** "4月20日" (Asia/Shanghai day of an instant); '' when not a date. */
export function shanghaiDay(iso: string): string {
  const p = shanghaiParts(iso);
  return p ? `${p.month}月${p.day}日` : '';
}

/**
 * The verb of a target's progress line on a screen: "已签名 326 / 目标 10000". Indicators not
 * listed read "已完成".
 */
const PROGRESS_VERBS: Record<string, string> = { SIGNATURES: '已签名', PARTICIPANTS: '已参加', VISITORS: '已观展', TRAINEES: '已培训', MATERIALS_DISTRIBUTED: '已发放' };

/**
 * Progress toward an activity's target as a screen shows it: "已签名 326 / 目标 10000". Both in
 * plain digits, never 万 or 余: a count against a target is read off exactly, digit for digit.
 */
export function progressText(indicator: string, value: number, target: number): string {
  const verb = Object.prototype.hasOwnProperty.call(PROGRESS_VERBS, indicator) ? PROGRESS_VERBS[indicator] : '已完成';
  return `${verb} ${String(value)} / 目标 ${String(target)}`;
}

/** The share of a target reached, 0 to 1 (a target of 0 or less counts as reached). */
export function progressShare(value: number, target: number): number {
  if (!(target > 0)) return 1;
  return Math.min(1, Math.max(0, value / target));
}

/**
 * When a screen's feed entry was posted: "09:05" on the day it is shown (Asia/Shanghai), else
 * "4月20日 09:05"; '' when not a date. `now` is the showing instant (ms).
 */
export function feedTime(iso: string, now: number): string {
  const p = shanghaiParts(iso);
  const today = shanghaiParts(new Date(now).toISOString());
  if (!p || !today) return '';
  const full = shanghaiTime(iso);
  return p.year === today.year && p.month === today.month && p.day === today.day ? full.replace(/^.*日 /, '') : full;
}

/** Asia/Shanghai wall-clock time of an ISO instant: "4月20日 09:00". */
export function shanghaiTime(iso: string): string {
  const p = shanghaiParts(iso);
  if (!p) return '';
  const pad = (n: number) => String(n).padStart(2, '0');
  return `${p.month}月${p.day}日 ${pad(p.hour)}:${pad(p.minute)}`;
}
