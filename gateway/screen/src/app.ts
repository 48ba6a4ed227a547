// labels.ts is the kernel's figures.ts (a symlink): the same table and formatter as the reports
import { figureParts, indicatorLabel, indicatorRank, shanghaiTime } from './labels.js';
import { connectLive, query } from './live.js';

/**
 * The big screen. `/screen/<token>`: the token names one target — an activity (live counters
 * and feed) or a tenant's roll-up (totals and a bar chart of its direct child tenants).
 */
interface Target {
  activityId: string | null;
  tenantId: string | null;
  campaignId: string | null;
}

const token = decodeURIComponent(location.pathname.split('/').filter(Boolean)[1] ?? '');
const $ = (id: string) => document.getElementById(id)!;

function targetOf(jwt: string): Target | null {
  try {
    const payload = JSON.parse(atob(jwt.split('.')[1].replace(/-/g, '+').replace(/_/g, '/')));
    return payload.scr ?? null;
  } catch {
    return null;
  }
}

function showInvalid() {
  document.body.className = 'invalid';
  $('screen').hidden = true;
  $('invalid').hidden = false;
}

function setStatus(status: string) {
  const text: Record<string, string> = { connecting: '连接中…', live: '实时', reconnecting: '网络中断，正在重新连接…' };
  $('status').textContent = text[status] ?? status;
  $('status').className = `status ${status}`;
}

function text(el: Element, value: string) {
  if (el.textContent !== value) el.textContent = value;
}

/** A counter tile per indicator, created when the indicator first appears. */
function counter(indicator: string): HTMLElement {
  let tile = document.querySelector<HTMLElement>(`[data-indicator="${indicator}"]`);
  if (!tile) {
    tile = document.createElement('div');
    tile.className = 'counter';
    tile.dataset.indicator = indicator;
    const meta = indicatorLabel(indicator) ?? { label: indicator, unit: '' };
    tile.innerHTML = `<div class="label"></div><div class="number"><span class="value">0</span><span class="approx"></span><span class="unit"></span></div>`;
    text(tile.querySelector('.label')!, meta.label);
    text(tile.querySelector('.unit')!, meta.unit);
    const counters = $('counters');
    const after = [...counters.children].find((c) => indicatorRank((c as HTMLElement).dataset.indicator!) > indicatorRank(indicator));
    counters.insertBefore(tile, after ?? null);
  }
  return tile;
}

/** As the documents write it, in three spans: "6.5万" "余" "份" (no thousands separators). */
function showValue(indicator: string, value: number, approximate = false) {
  const tile = counter(indicator);
  const figure = figureParts(indicator, value, approximate);
  text(tile.querySelector('.value')!, figure.number);
  text(tile.querySelector('.approx')!, figure.approx);
  text(tile.querySelector('.unit')!, figure.unit);
}

async function activityScreen(activityId: string) {
  document.body.classList.add('activity');
  const info = await query(
    token,
    'query($a: ID!) { activity(id: $a) { title startsAt endsAt location leadUnit { name } campaign { title theme } } }',
    { a: activityId },
  );
  if (!info.data?.activity) return showInvalid();
  const a = info.data.activity;
  text($('theme'), a.campaign.theme ?? a.campaign.title);
  text($('title'), a.title);
  text($('when'), shanghaiTime(a.startsAt) + (a.endsAt ? ` — ${shanghaiTime(a.endsAt).replace(/^.*日 /, '')}` : ''));
  text($('where'), [a.location, a.leadUnit?.name].filter(Boolean).join(' · '));

  const feed = $('feed');
  const addEntry = (entry: { id: string; text: string; postedAt: string; author: { name: string } }, atTop: boolean) => {
    if (feed.querySelector(`[data-entry="${entry.id}"]`)) return;
    const li = document.createElement('li');
    li.dataset.entry = entry.id;
    li.innerHTML = '<time></time><span class="text"></span>';
    text(li.querySelector('time')!, shanghaiTime(entry.postedAt).replace(/^.*日 /, ''));
    text(li.querySelector('.text')!, entry.text);
    if (atTop) feed.insertBefore(li, feed.firstChild);
    else feed.appendChild(li);
    while (feed.children.length > 8) feed.lastChild!.remove();
  };
  const loadFeed = async () => {
    const latest = await query(token, 'query($a: ID!) { feed(activityId: $a, first: 8) { edges { node { id text postedAt author { name } } } } }', { a: activityId });
    for (const edge of latest.data?.feed.edges ?? []) addEntry(edge.node, false);
  };
  await loadFeed();

  connectLive({
    url: `${location.protocol === 'https:' ? 'wss' : 'ws'}://${location.host}/graphql`,
    token,
    subscriptions: [
      {
        query: 'subscription($a: ID!) { statisticChanged(activityId: $a) { indicator value approximate } }',
        variables: { a: activityId },
        onData: (d) => showValue(d.statisticChanged.indicator, d.statisticChanged.value, d.statisticChanged.approximate),
      },
      {
        query: 'subscription($a: ID!) { feedEntryAdded(activityId: $a) { id text postedAt author { name } } }',
        variables: { a: activityId },
        onData: (d) => addEntry(d.feedEntryAdded, true),
      },
    ],
    onStatus: setStatus,
    onInvalid: showInvalid,
    onReconnected: () => void loadFeed(),
  });
}

function rollupBoard(tenantId: string, campaignId: string | null) {
  document.body.classList.add('rollup');
  const selection = 'tenant { name } campaign { title theme } totals { indicator value approximate } children { tenant { name } totals { indicator value approximate } }';
  const render = (r: any) => {
    text($('theme'), r.campaign ? (r.campaign.theme ?? r.campaign.title) : '全部活动汇总');
    text($('title'), `${r.tenant.name} · 汇总`);
    text($('when'), '含全部下级单位');
    for (const t of r.totals) showValue(t.indicator, t.value, t.approximate);
    // the bar chart compares the direct children on the indicator with the largest total
    const main = [...r.totals].sort((a: any, b: any) => b.value - a.value)[0]?.indicator;
    text($('chart-title'), main ? `下级单位对比 · ${indicatorLabel(main)?.label ?? main}` : '下级单位对比');
    const rows = r.children.map((c: any) => {
      const total = c.totals.find((t: any) => t.indicator === main);
      return { name: c.tenant.name, value: total?.value ?? 0, approximate: !!total?.approximate };
    });
    const max = Math.max(1, ...rows.map((x: any) => x.value));
    const chart = $('chart');
    chart.replaceChildren(
      ...rows.map((row: any) => {
        const bar = document.createElement('div');
        bar.className = 'bar';
        bar.dataset.tenant = row.name;
        bar.innerHTML = '<span class="name"></span><span class="track"><span class="fill"></span></span><span class="value"></span>';
        text(bar.querySelector('.name')!, row.name);
        const figure = figureParts(main ?? '', row.value, row.approximate);
        text(bar.querySelector('.value')!, figure.number + figure.approx);
        (bar.querySelector('.fill') as HTMLElement).style.width = `${(row.value / max) * 100}%`;
        return bar;
      }),
    );
  };
  connectLive({
    url: `${location.protocol === 'https:' ? 'wss' : 'ws'}://${location.host}/graphql`,
    token,
    subscriptions: [
      {
        query: `subscription($t: ID!, $c: ID) { rollupChanged(tenantId: $t, campaignId: $c) { ${selection} } }`,
        variables: { t: tenantId, c: campaignId },
        onData: (d) => render(d.rollupChanged),
      },
    ],
    onStatus: setStatus,
    onInvalid: showInvalid,
    onReconnected: () => undefined,
  });
}

const target = targetOf(token);
if (!target) showInvalid();
else if (target.activityId) void activityScreen(target.activityId).catch(showInvalid);
else if (target.tenantId) rollupBoard(target.tenantId, target.campaignId);
else showInvalid();
