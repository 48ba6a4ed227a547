import { figureParts, indicatorLabel, indicatorRank, progressShare, progressText } from './labels.js';

/**
 * The counter tiles: one per indicator, in the table's order, each "label / 6.5万余份" and, for
 * an indicator the activity has a target for, "已签名 326 / 目标 10000" over a progress bar —
 * shown from the first read, at 0 before anything is counted.
 */
export class Tiles {
  private readonly targets = new Map<string, number>();
  private readonly values = new Map<string, { value: number; approximate: boolean }>();

  constructor(
    private readonly box: HTMLElement,
    private readonly changed: () => void,
  ) {}

  setTargets(targets: { indicator: string; value: number }[]) {
    for (const t of targets) {
      this.targets.set(t.indicator, t.value);
      this.render(t.indicator);
    }
  }

  setValue(indicator: string, value: number, approximate: boolean) {
    const old = this.values.get(indicator);
    if (old && old.value === value && old.approximate === approximate && this.box.querySelector(`[data-indicator="${indicator}"]`)) return;
    this.values.set(indicator, { value, approximate });
    this.render(indicator);
  }

  /** An empty board says so rather than showing a blank. */
  showEmptyNote() {
    if (this.box.children.length === 0) {
      const note = document.createElement('div');
      note.className = 'empty';
      note.textContent = '暂无统计数据';
      this.box.append(note);
    }
  }

  private tile(indicator: string): HTMLElement {
    let tile = this.box.querySelector<HTMLElement>(`.tile[data-indicator="${indicator}"]`);
    if (tile) return tile;
    this.box.querySelector('.empty')?.remove();
    tile = document.createElement('div');
    tile.className = 'tile';
    tile.dataset.indicator = indicator;
    tile.innerHTML =
      '<div class="label"></div><div class="number"><span class="value">0</span><span class="approx"></span><span class="unit"></span></div>' +
      '<div class="progress" hidden><div class="progress-text"></div><span class="progress-track"><span class="progress-fill"></span></span></div>';
    tile.querySelector('.label')!.textContent = indicatorLabel(indicator)?.label ?? indicator;
    const after = [...this.box.querySelectorAll<HTMLElement>('.tile')].find((t) => indicatorRank(t.dataset.indicator!) > indicatorRank(indicator));
    this.box.insertBefore(tile, after ?? null);
    return tile;
  }

  private render(indicator: string) {
    const tile = this.tile(indicator);
    const { value, approximate } = this.values.get(indicator) ?? { value: 0, approximate: false };
    const figure = figureParts(indicator, value, approximate);
    set(tile.querySelector('.value')!, figure.number);
    set(tile.querySelector('.approx')!, figure.approx);
    set(tile.querySelector('.unit')!, figure.unit);
    const target = this.targets.get(indicator);
    const progress = tile.querySelector<HTMLElement>('.progress')!;
    progress.hidden = target === undefined;
    if (target !== undefined) {
      set(progress.querySelector('.progress-text')!, progressText(indicator, value, target));
      const share = progressShare(value, target);
      progress.querySelector<HTMLElement>('.progress-fill')!.style.width = `${(share * 100).toFixed(2)}%`;
      progress.dataset.share = String(share);
    }
    this.changed();
  }
}

/** Writes text only when it changed (no needless layout). */
export function set(el: Element, value: string) {
  if (el.textContent !== value) el.textContent = value;
}
