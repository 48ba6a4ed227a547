import { fitLine, frameScheduler, layoutChart, layoutFeed, layoutTiles } from './fit.js';
import { shanghaiParts } from './labels.js';
import { POLL_MS, ScreenStatus } from './sync.js';

/**
 * What every screen shares: the page's elements, the status line (live, or not live and
 * refreshed every few seconds), the "link not valid" message, and the layout pass that fits
 * everything to the viewport after any change or resize.
 */
export class Screen {
  private status: ScreenStatus = 'connecting';
  private invalid = false;
  private lastRead: number | null = null;

  constructor(readonly token: string) {
    window.addEventListener('resize', this.relayout);
    new ResizeObserver(this.relayout).observe(document.body);
    void document.fonts?.ready.then(this.relayout);
  }

  $ = (id: string): HTMLElement => document.getElementById(id)!;

  setStatus = (status: ScreenStatus) => {
    this.status = status;
    const text: Record<ScreenStatus, string> = {
      connecting: '连接中…',
      live: '实时',
      polling: `非实时：实时通道未连通，每${POLL_MS / 1000}秒刷新`,
    };
    const el = this.$('status');
    el.textContent = text[status];
    el.className = `status ${status}`;
    this.showUpdated();
  };

  /** A read over HTTP was shown: while not live, the screen says when. */
  setPolled = (at: number) => {
    this.lastRead = at;
    this.showUpdated();
  };

  private showUpdated() {
    const p = this.status === 'polling' && this.lastRead !== null ? shanghaiParts(new Date(this.lastRead).toISOString()) : null;
    const pad = (n: number) => String(n).padStart(2, '0');
    this.$('updated').textContent = p ? `更新于 ${pad(p.hour)}:${pad(p.minute)}:${pad(p.second)}` : '';
    this.relayout();
  }

  showInvalid = () => {
    if (this.invalid) return;
    this.invalid = true;
    document.body.className = 'invalid';
    this.$('screen').hidden = true;
    this.$('invalid').hidden = false;
  };

  relayout = frameScheduler(() => {
    if (this.invalid) return;
    for (const el of document.querySelectorAll<HTMLElement>('#screen .line')) fitLine(el);
    layoutTiles(this.$('counters'));
    if (document.body.classList.contains('activity')) layoutFeed(this.$('feed'));
    else layoutChart(this.$('chart'));
    document.body.dataset.layout = `${window.innerWidth}x${window.innerHeight}`;
  });
}
