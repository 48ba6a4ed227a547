/**
 * Sizing text to its box, so nothing on a wall screen is clipped or pushed off it at any size
 * (16:9 or 4:3, 1280×720 to 3840×2160) and for any number of tiles (1 to 20). Widths are measured
 * once at a reference size (text width scales with font size), the sizes computed from the boxes,
 * then checked in the page itself: while anything still overflows, it is made smaller.
 */

const REF = 100;

/** Content does not fit the element's box (the same test a wall operator's eye makes). */
export function overflows(el: Element): boolean {
  return el.scrollWidth > el.clientWidth || el.scrollHeight > el.clientHeight;
}

/** The width the element's content takes on one line, whatever its box (a range's bounds). */
function contentWidth(el: Element): number {
  const range = document.createRange();
  range.selectNodeContents(el);
  return range.getBoundingClientRect().width;
}

function px(el: Element, property: string): number {
  return parseFloat(getComputedStyle(el).getPropertyValue(property)) || 0;
}

/** A one-line element: its stylesheet size, or smaller when its text is wider than its box. */
export function fitLine(el: HTMLElement): void {
  el.style.fontSize = '';
  if (!el.textContent || el.clientWidth === 0) return;
  const base = px(el, 'font-size');
  const width = contentWidth(el);
  if (width > el.clientWidth) el.style.fontSize = `${(base * el.clientWidth * 0.98) / width}px`;
  for (let i = 0; i < 30 && overflows(el); i++) el.style.fontSize = `${px(el, 'font-size') * 0.94}px`;
}

function setSizes(box: HTMLElement, sizes: Record<string, number>) {
  for (const [name, value] of Object.entries(sizes)) box.style.setProperty(`--${name}`, `${value}px`);
}

/**
 * The counter tiles: the grid (columns × rows) that gives the largest numbers in the box, and
 * one size for every tile's number (--v), label (--l) and progress line (--p), so the wall reads
 * evenly. A number and its 余 and unit stay on one line (nowrap) and are never cut.
 */
export function layoutTiles(box: HTMLElement): void {
  const tiles = [...box.querySelectorAll<HTMLElement>('.tile')];
  if (tiles.length === 0 || box.clientWidth === 0) return;
  setSizes(box, { v: REF, l: REF, p: REF });
  const widest = (selector: string) => Math.max(0, ...tiles.map((t) => [...t.querySelectorAll(selector)].reduce((w, el) => Math.max(w, contentWidth(el)), 0))) / REF;
  const need = { number: widest('.number'), label: widest('.label'), progress: widest('.progress-text') };
  const withProgress = need.progress > 0;
  const W = box.clientWidth;
  const H = box.clientHeight;
  const gap = px(box, 'row-gap');
  const maxNumber = window.innerHeight * 0.16;
  let best = { score: -1, columns: 1, rows: 1, pad: 0, v: 0, l: 0, p: 0 };
  for (let columns = 1; columns <= tiles.length; columns++) {
    const rows = Math.ceil(tiles.length / columns);
    if (columns > 1 && (columns - 1) * rows >= tiles.length) continue; // a column left empty
    const tileW = (W - (columns - 1) * gap) / columns;
    const tileH = (H - (rows - 1) * gap) / rows;
    const pad = Math.max(2, Math.min(tileW, tileH) * 0.08);
    const innerW = (tileW - 2 * pad) * 0.96;
    const innerH = (tileH - 2 * pad) * 0.96;
    if (innerW <= 0 || innerH <= 0) continue;
    let v = Math.min(innerW / Math.max(need.number, 0.1), maxNumber, innerH * (withProgress ? 0.4 : 0.5));
    let l = Math.min(innerW / Math.max(need.label, 0.1), v * 0.45, innerH * 0.2);
    let p = withProgress ? Math.min(innerW / need.progress, l * 0.85) : 0;
    // line boxes are 1.5 em (screen.css); the progress line adds its bar and spacing: 2.5 em
    const height = l * 1.5 + v * 1.5 + p * 2.5;
    if (height > innerH) {
      const k = innerH / height;
      v *= k;
      l *= k;
      p *= k;
    }
    const score = v + l * 0.5;
    if (score > best.score) best = { score, columns, rows, pad, v, l, p };
  }
  box.style.gridTemplateColumns = `repeat(${best.columns}, minmax(0, 1fr))`;
  box.style.gridTemplateRows = `repeat(${best.rows}, minmax(0, 1fr))`;
  setSizes(box, { pad: best.pad, v: best.v, l: best.l, p: best.p });
  const parts = tiles.flatMap((t) => [t, ...t.querySelectorAll('.label, .number, .progress-text')]);
  for (let i = 0; i < 30 && parts.some(overflows); i++) {
    setSizes(box, { v: px(box, '--v') * 0.94, l: px(box, '--l') * 0.94, p: px(box, '--p') * 0.94 });
  }
}

/**
 * The children of a roll-up board, one row each (name, bar, figure and reporting state): as many
 * columns as give the largest text, filled top to bottom.
 */
export function layoutChart(chart: HTMLElement): void {
  const bars = [...chart.querySelectorAll<HTMLElement>('.bar')];
  chart.style.removeProperty('--c');
  if (bars.length === 0 || chart.clientWidth === 0) return;
  const maxSize = px(chart, 'font-size') * 1.3;
  chart.style.setProperty('--c', `${REF}px`);
  const widest = (selector: string) => Math.max(0, ...bars.map((b) => contentWidth(b.querySelector(selector)!))) / REF;
  const name = widest('.name') + 0.1;
  const figure = widest('.figure');
  const W = chart.clientWidth;
  const H = chart.clientHeight;
  let best = { size: 0, columns: 1, rows: bars.length };
  for (let columns = 1; columns <= Math.min(4, bars.length); columns++) {
    const rows = Math.ceil(bars.length / columns);
    // a row: name, gap, bar (at least 1.5em), gap, figure; columns 1.4em apart; 1.9em tall
    const byWidth = (W * 0.97) / (columns * (name + 0.5 + 1.5 + 0.5 + figure) + (columns - 1) * 1.4);
    const byHeight = (H * 0.97) / (rows * 1.9);
    const size = Math.min(byWidth, byHeight, maxSize);
    if (size > best.size) best = { size, columns, rows };
  }
  chart.style.setProperty('--name-w', `${name}em`);
  chart.style.gridTemplateColumns = `repeat(${best.columns}, minmax(0, 1fr))`;
  chart.style.gridTemplateRows = `repeat(${best.rows}, max-content)`;
  chart.style.setProperty('--c', `${best.size}px`);
  const parts = [chart, ...bars.flatMap((b) => [b, ...b.querySelectorAll('.name, .figure')])];
  for (let i = 0; i < 30 && parts.some(overflows); i++) chart.style.setProperty('--c', `${px(chart, '--c') * 0.94}px`);
}

/**
 * The feed, newest first: as many whole entries as fit; the older ones wait off the list. Only
 * when the newest alone is too tall is its text shortened (…), never cut by the box.
 */
export function layoutFeed(feed: HTMLElement): void {
  const items = [...feed.children] as HTMLElement[];
  for (const item of items) {
    item.classList.remove('cut');
    const text = item.querySelector<HTMLElement>('.text');
    if (text?.dataset.full !== undefined && text.textContent !== text.dataset.full) text.textContent = text.dataset.full;
  }
  for (let i = items.length - 1; i > 0 && overflows(feed); i--) items[i].classList.add('cut');
  const first = items[0]?.querySelector<HTMLElement>('.text');
  if (!first || !overflows(feed)) return;
  const full = (first.dataset.full ??= first.textContent ?? '');
  let low = 0;
  let high = full.length;
  while (low < high) {
    const mid = Math.ceil((low + high) / 2);
    first.textContent = `${full.slice(0, mid)}…`;
    if (overflows(feed)) high = mid - 1;
    else low = mid;
  }
  first.textContent = `${full.slice(0, low)}…`;
}

/** Runs `layout` once per frame at most, after whatever changed in that frame. */
export function frameScheduler(layout: () => void): () => void {
  let pending = false;
  return () => {
    if (pending) return;
    pending = true;
    requestAnimationFrame(() => {
      pending = false;
      layout();
    });
  };
}
