import { formatFigure, indicatorLabel } from '@cascade/kernel';
import { byTableOrder, figureClauses, figureMap } from './clauses';
import { FigureValue, GeneratedFigure, GeneratedMissing, IndicatorName } from './types';

/**
 * 主要成效: the roll-up in one sentence, as the summaries close their figures ("截止目前，据不完全
 * 统计，共发放宣传资料3万余份；…；参加培训的15家企业共计56人；出动执法人员1000余人次…"). A required
 * indicator with nothing recorded reads "观展人次（未统计）" and is missing: never "观展人次达到了人".
 */
export function resultsSection(
  totals: FigureValue[],
  requiredIndicators: IndicatorName[],
  missing: GeneratedMissing[],
): { body: string; figures: GeneratedFigure[] } {
  const figures = figureMap(totals ?? []);
  const unstated = [...new Set((requiredIndicators ?? []).filter((i) => typeof i === 'string' && i && !figures.has(i)))].sort(byTableOrder);
  for (const indicator of unstated) {
    missing.push({ indicator, activityId: null, message: `上级要求填报的${indicatorLabel(indicator)?.label ?? indicator}未统计` });
  }
  // 共 goes with the first figure stated ("共发放宣传资料3万余份"), not with "观展人次（未统计）"
  const clauses = figureClauses(figures, unstated);
  const first = clauses.findIndex((c) => c.stated);
  const texts = clauses.map((c, i) => (i === first ? `共${c.text}` : c.text));
  const body = clauses.length ? `截止目前，据不完全统计，${texts.join('；')}。` : '截止目前，本级及下级单位尚未录入统计数据。';
  const generated = [...figures.values()]
    .sort((a, b) => byTableOrder(a.indicator, b.indicator))
    .map((f) => ({ indicator: f.indicator, value: f.value, approximate: f.approximate, text: formatFigure(f.indicator, f.value, f.approximate) }));
  return { body, figures: generated };
}
