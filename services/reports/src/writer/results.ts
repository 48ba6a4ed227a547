import { formatFigure, indicatorLabel } from '@cascade/kernel';
import { byTableOrder, figureClauses, figureMap } from './clauses';
import { FigureValue, GeneratedFigure, GeneratedMissing, IndicatorName } from './types';

/**
 * 主要成效: the roll-up in one sentence, as the summaries close their figures ("截止目前，据不完全
 * 统计，共发放宣传资料3万余份；…；参加培训的15家企业共计56人；出动执法人员1000余人次…"). A required
 * indicator with nothing recorded reads "观展人次（未统计）" and is missing: never "观展人次达到了人".
 */
const TAKES_GONG = /^(发放|散发|展出|悬挂|设立|出动|征集|接受|检查|立案|收缴|召开|受理|培训)/;

export function resultsSection(
  totals: FigureValue[],
  requiredIndicators: IndicatorName[],
  missing: GeneratedMissing[],
): { body: string; figures: GeneratedFigure[] } {
  const figures = figureMap(totals ?? []);
  const unstated = [...new Set((requiredIndicators ?? []).filter((i) => typeof i === 'string' && i && !figures.has(i)))].sort(byTableOrder);
  for (const indicator of unstated) {
    missing.push({ indicator, activityId: null, message: `按要求应填报的${indicatorLabel(indicator)?.label ?? indicator}未统计` });
  }
  // 共 goes with the first figure stated when it opens with a verb ("共发放宣传资料3万余份"), never
  // with "观展人次（未统计）" nor before a noun ("共参加人数达到…" is not how a summary reads)
  const clauses = figureClauses(figures, unstated);
  const stated = clauses.findIndex((c) => c.stated);
  const first = stated >= 0 && TAKES_GONG.test(clauses[stated].text) ? stated : -1;
  const texts = clauses.map((c, i) => (i === first ? `共${c.text}` : c.text));
  const body = clauses.length ? `截止目前，据不完全统计，${texts.join('；')}。` : '截止目前，本级及下级单位尚未录入统计数据。';
  const generated = [...figures.values()]
    .sort((a, b) => byTableOrder(a.indicator, b.indicator))
    .map((f) => ({ indicator: f.indicator, value: f.value, approximate: f.approximate, text: formatFigure(f.indicator, f.value, f.approximate) }));
  return { body, figures: generated };
}
