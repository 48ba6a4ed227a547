import { mkdirSync } from 'node:fs';
import path from 'node:path';
import { Page } from 'playwright-core';

/**
 * What a venue operator would check on a wall screen, asked of the page in Chromium: nothing
 * scrolls, every element that shows text lies inside the viewport, no element's content
 * overflows its box (scrollWidth ≤ clientWidth, scrollHeight ≤ clientHeight), each tile's number
 * and unit are on one line inside their tile, and the invalid-link block is not shown.
 * Returns the problems found (empty: the screen is right).
 */
export function layoutProblems(page: Page): Promise<string[]> {
  return page.evaluate(() => {
    const problems: string[] = [];
    const W = window.innerWidth;
    const H = window.innerHeight;
    const name = (el: Element) =>
      `${el.tagName.toLowerCase()}${el.id ? `#${el.id}` : ''}${[...el.classList].map((c) => `.${c}`).join('')}「${(el.textContent ?? '').trim().slice(0, 24)}」`;
    const root = document.documentElement;
    if (root.scrollWidth > W || root.scrollHeight > H) problems.push(`the page scrolls: ${root.scrollWidth}×${root.scrollHeight} in ${W}×${H}`);
    if (window.scrollY !== 0 || window.scrollX !== 0) problems.push('the page is scrolled');
    const invalid = document.getElementById('invalid');
    if (invalid && invalid.getClientRects().length > 0) problems.push('the invalid-link block is shown');
    for (const el of document.querySelectorAll('body *')) {
      if (el.getClientRects().length === 0 || getComputedStyle(el).visibility === 'hidden') continue;
      const hasText = [...el.childNodes].some((n) => n.nodeType === Node.TEXT_NODE && (n.textContent ?? '').trim() !== '');
      const box = el.getBoundingClientRect();
      if (hasText && (box.left < -0.5 || box.top < -0.5 || box.right > W + 0.5 || box.bottom > H + 0.5)) {
        problems.push(`${name(el)} lies outside the viewport: ${Math.round(box.left)},${Math.round(box.top)} → ${Math.round(box.right)},${Math.round(box.bottom)}`);
      }
      if ((el.clientWidth > 0 || el.clientHeight > 0) && (el.scrollWidth > el.clientWidth || el.scrollHeight > el.clientHeight)) {
        problems.push(`${name(el)} overflows: ${el.scrollWidth}×${el.scrollHeight} in ${el.clientWidth}×${el.clientHeight}`);
      }
    }
    for (const number of document.querySelectorAll('.tile .number')) {
      const tile = number.closest('.tile')!.getBoundingClientRect();
      const range = document.createRange();
      range.selectNodeContents(number);
      const rects = [...range.getClientRects()].filter((r) => r.width > 0);
      const bottoms = rects.map((r) => r.bottom);
      // one line: every part's box ends on the same baseline row (the unit is smaller, never below)
      if (rects.length && Math.max(...rects.map((r) => r.top)) >= Math.min(...bottoms)) problems.push(`${name(number)}: number and unit on two lines`);
      const all = range.getBoundingClientRect();
      if (all.left < tile.left - 0.5 || all.right > tile.right + 0.5 || all.top < tile.top - 0.5 || all.bottom > tile.bottom + 0.5) {
        problems.push(`${name(number)} is cut by its tile`);
      }
    }
    return problems;
  });
}

/** Waits for the page to lay itself out at its current viewport size (fit.ts marks the size it fitted). */
export async function laidOut(page: Page): Promise<void> {
  const size = page.viewportSize()!;
  await page.waitForFunction((s) => document.body.dataset.layout === s, `${size.width}x${size.height}`, { timeout: 10_000 });
  // the pass after it (a resize observed, the fonts ready) has nothing left to change
  await page.evaluate(() => new Promise((resolve) => requestAnimationFrame(() => requestAnimationFrame(resolve))));
}

/**
 * Screenshots of each state, kept as CI artifacts outside the source tree: SCREEN_ARTIFACTS when
 * set, else test/artifacts (ignored by git).
 */
export function artifactPath(file: string): string {
  const dir = process.env.SCREEN_ARTIFACTS ?? path.resolve(__dirname, '..', 'artifacts');
  mkdirSync(dir, { recursive: true });
  return path.join(dir, file);
}
