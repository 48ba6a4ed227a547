import { figureParts, indicatorLabel } from './labels.js';
import { query } from './live.js';
import { Screen } from './screen.js';
import { keepCurrent } from './sync.js';
import { set, Tiles } from './tiles.js';

/**
 * A tenant's roll-up board: totals over it and every descendant (余 kept where any figure in it
 * is approximate), and every direct child tenant compared on the largest indicator — 0 where it
 * has recorded nothing, and, for a campaign, whether it has reported (已报送/未报送, from the
 * reports' `reporting`). A tenant with no children shows its totals alone.
 */

/** The operations a board sends (written in app.ts, where every document of the page is). */
export interface BoardDocuments {
  /** rollup(tenantId: $t, campaignId: $c) { … } */
  read: string;
  /** rollup(…) { campaign { reporting { tenant { id } state late } } } */
  reporting: string;
  /** rollupChanged(tenantId: $t, campaignId: $c) with the same selection as read */
  rollupChanged: string;
}

/** Reporting changes in days, not seconds (and screens may not follow reportChanged): read it now and then. */
const REPORTING_EVERY_MS = 30_000;

interface Total {
  indicator: string;
  value: number;
  approximate: boolean;
}
interface Rollup {
  tenant: { name: string };
  campaign: { title: string; theme: string | null } | null;
  totals: Total[];
  children: { tenant: { id: string; name: string }; totals: Total[] }[];
}

/** What a child's reporting state reads as on the board, and whether it counts as sent up. */
export function reportingLabel(state: string, late: boolean): { text: string; sent: boolean } {
  if (state === 'SUBMITTED' || state === 'ACCEPTED') return { text: late ? '逾期报送' : '已报送', sent: true };
  if (state === 'RETURNED') return { text: '退回修改', sent: false };
  return { text: late ? '逾期未报' : '未报送', sent: false };
}

export async function rollupBoard(screen: Screen, tenantId: string, campaignId: string | null, documents: BoardDocuments) {
  document.body.classList.add('rollup');
  const tiles = new Tiles(screen.$('counters'), screen.relayout);
  const reporting = new Map<string, { state: string; late: boolean }>();
  let last: Rollup | null = null;

  const render = (r: Rollup) => {
    last = r;
    set(screen.$('theme'), r.campaign ? (r.campaign.theme ?? r.campaign.title) : '全部活动汇总');
    set(screen.$('title'), `${r.tenant.name} · 汇总`);
    const leaf = r.children.length === 0;
    // a tenant with no children has nothing below it to include or compare
    set(screen.$('when'), leaf ? '' : '含全部下级单位');
    document.body.classList.toggle('no-side', leaf);
    document.body.classList.toggle('wide-side', r.children.length > 8);
    for (const t of r.totals) tiles.setValue(t.indicator, t.value, t.approximate);
    if (r.totals.length === 0) tiles.showEmptyNote();

    // the children compared on the indicator with the largest total
    const main = [...r.totals].sort((a, b) => b.value - a.value)[0]?.indicator ?? null;
    set(screen.$('chart-title'), main ? `下级单位对比 · ${indicatorLabel(main)?.label ?? main}` : '下级单位');
    const rows = r.children.map((c) => {
      const total = c.totals.find((t) => t.indicator === main);
      return { id: c.tenant.id, name: c.tenant.name, value: total?.value ?? 0, approximate: !!total?.approximate };
    });
    const max = Math.max(1, ...rows.map((x) => x.value));
    const chart = screen.$('chart');
    chart.replaceChildren(
      ...rows.map((row) => {
        const bar = document.createElement('div');
        bar.className = 'bar';
        bar.dataset.tenant = row.name;
        bar.innerHTML =
          '<span class="name"></span><span class="track"><span class="fill"></span></span>' +
          '<span class="figure"><span class="value"></span><span class="unit"></span><span class="state"></span></span>';
        bar.querySelector('.name')!.textContent = row.name;
        const figure = figureParts(main ?? '', row.value, row.approximate);
        bar.querySelector('.value')!.textContent = figure.number + figure.approx;
        bar.querySelector('.unit')!.textContent = figure.unit;
        const state = reporting.get(row.id);
        if (state) {
          const label = reportingLabel(state.state, state.late);
          const el = bar.querySelector<HTMLElement>('.state')!;
          el.textContent = label.text;
          el.className = `state ${label.sent ? 'sent' : 'unsent'}`;
        }
        bar.querySelector<HTMLElement>('.fill')!.style.width = `${(row.value / max) * 100}%`;
        return bar;
      }),
    );
    screen.relayout();
  };

  const readReporting = async () => {
    try {
      const data = await query(screen.token, documents.reporting, { t: tenantId, c: campaignId });
      reporting.clear();
      for (const entry of data.rollup.campaign?.reporting ?? []) reporting.set(entry.tenant.id, { state: entry.state, late: entry.late });
      if (last) render(last);
    } catch {
      // the numbers matter more: a board shows them even when reporting cannot be read now
    }
  };
  if (campaignId) {
    await readReporting();
    setInterval(readReporting, REPORTING_EVERY_MS);
  }

  await keepCurrent({
    token: screen.token,
    async read() {
      const data = await query(screen.token, documents.read, { t: tenantId, c: campaignId });
      return () => render(data.rollup);
    },
    subscriptions: [
      {
        query: documents.rollupChanged,
        variables: { t: tenantId, c: campaignId },
        onData: (d) => render(d.rollupChanged),
      },
    ],
    onStatus: screen.setStatus,
    onPolled: screen.setPolled,
    onInvalid: screen.showInvalid,
    onLiveAgain: () => undefined,
  });
}
