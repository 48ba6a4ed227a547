/**
 * Chinese names and units of the indicators, as the summaries write them: the one table, for
 * screens and reports alike (test/figures-labels.test.ts checks that every Indicator has both).
 */
export const INDICATORS: Record<string, { label: string; unit: string }> = {
  SIGNATURES: { label: '签名人数', unit: '人' },
  PARTICIPANTS: { label: '参加人数', unit: '人' },
  VISITORS: { label: '观展人次', unit: '人次' },
  CONSULTATIONS: { label: '咨询人次', unit: '人次' },
  MATERIALS_DISTRIBUTED: { label: '发放宣传资料', unit: '份' },
  DISPLAY_BOARDS: { label: '展板', unit: '块' },
  BANNERS: { label: '横幅', unit: '条' },
  CONSULTATION_POINTS: { label: '咨询服务点', unit: '个' },
  PUBLICITY_VEHICLES: { label: '宣传车', unit: '辆' },
  ENTERPRISES_TRAINED: { label: '培训企业', unit: '家' },
  TRAINEES: { label: '培训人数', unit: '人' },
  ENFORCEMENT_OFFICERS: { label: '出动执法人员', unit: '人次' },
  BUSINESSES_INSPECTED: { label: '检查经营户', unit: '户次' },
  CASES_FILED: { label: '立案查处', unit: '件' },
  ITEMS_CONFISCATED: { label: '收缴物品', unit: '件' },
  MEDIA_REPORTS: { label: '报道篇次', unit: '篇次' },
  PRESS_CONFERENCES: { label: '新闻发布会', unit: '场' },
  UNITS_ATTENDING: { label: '参加单位', unit: '个' },
  ENTERPRISES_ATTENDING: { label: '参加企业', unit: '家' },
  COMPLAINTS_RECEIVED: { label: '受理投诉举报', unit: '件' },
};

export const INDICATOR_ORDER = Object.keys(INDICATORS);

/** Asia/Shanghai wall-clock time of an ISO instant: "4月20日 09:00". */
export function shanghaiTime(iso: string): string {
  const d = new Date(new Date(iso).getTime() + 8 * 3600 * 1000);
  const pad = (n: number) => String(n).padStart(2, '0');
  return `${d.getUTCMonth() + 1}月${d.getUTCDate()}日 ${pad(d.getUTCHours())}:${pad(d.getUTCMinutes())}`;
}

export function formatNumber(n: number): string {
  return n.toLocaleString('zh-CN');
}
