import { figurePhrase, indicatorRank, isCount, pairedPhrase, PAIRED_FIGURES, unstatedPhrase } from '@cascade/kernel';
import { FigureValue, IndicatorName } from './types';

/**
 * Figures keyed by indicator. A repeated indicator adds up (as a roll-up would), approximate if
 * any part is; a value that is not a count (NaN, negative, fractional) is left out here, so the
 * caller states it as not counted rather than printing it.
 */
export function figureMap(values: FigureValue[]): Map<IndicatorName, FigureValue> {
  const map = new Map<IndicatorName, FigureValue>();
  for (const v of values) {
    if (!v || typeof v.indicator !== 'string' || !isCount(v.value)) continue;
    const seen = map.get(v.indicator);
    const value = (seen?.value ?? 0) + v.value;
    if (!isCount(value)) continue;
    map.set(v.indicator, { indicator: v.indicator, value, approximate: !!seen?.approximate || !!v.approximate });
  }
  return map;
}

/** In the labels table's order, unknown names after the known ones, by name. */
export function byTableOrder(a: IndicatorName, b: IndicatorName): number {
  return indicatorRank(a) - indicatorRank(b) || (a < b ? -1 : a > b ? 1 : 0);
}

/**
 * The clauses stating `figures` and, for `unstated` indicators, "<label>（未统计）", in the table's
 * order; a pair the documents state together ("参加培训的15家企业共计56人") in one clause when both
 * of its figures are known. Every number goes through the kernel's formatter.
 */
export interface Clause {
  text: string;
  /** false: "<label>（未统计）". */
  stated: boolean;
}

export function figureClauses(figures: Map<IndicatorName, FigureValue>, unstated: Iterable<IndicatorName> = []): Clause[] {
  const missing = new Set([...unstated].filter((i) => !figures.has(i)));
  const indicators = [...new Set([...figures.keys(), ...missing])].sort(byTableOrder);
  const paired = new Set<IndicatorName>();
  const clauses: Clause[] = [];
  for (const indicator of indicators) {
    if (paired.has(indicator)) continue;
    const pair = PAIRED_FIGURES.find((p) => p.first === indicator && figures.has(p.second));
    const first = figures.get(indicator);
    if (pair && first) {
      clauses.push({ text: pairedPhrase(pair, first, figures.get(pair.second)!), stated: true });
      paired.add(pair.second);
    } else if (first) {
      clauses.push({ text: figurePhrase(indicator, first.value, first.approximate), stated: true });
    } else {
      clauses.push({ text: unstatedPhrase(indicator), stated: false });
    }
  }
  return clauses;
}
