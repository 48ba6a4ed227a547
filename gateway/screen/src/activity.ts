import { feedTime, shanghaiTime } from './labels.js';
import { InvalidLink, query } from './live.js';
import { Screen } from './screen.js';
import { keepCurrent } from './sync.js';
import { set, Tiles } from './tiles.js';

/** The operations an activity's screen sends (written in app.ts, where every document of the page is). */
export interface ActivityDocuments {
  /** activity(id: $a) { … targets statistics } and feed(activityId: $a) */
  read: string;
  /** feed(activityId: $a) alone */
  readFeed: string;
  statisticChanged: string;
  feedEntryAdded: string;
}

interface Entry {
  id: string;
  text: string;
  postedAt: string;
}

/** An activity's screen: its counters (with progress toward its targets) and its live feed. */
export async function activityScreen(screen: Screen, activityId: string, documents: ActivityDocuments) {
  document.body.classList.add('activity');
  const tiles = new Tiles(screen.$('counters'), screen.relayout);
  const entries = new Map<string, Entry>();
  const feed = screen.$('feed');

  const showFeed = () => {
    const now = Date.now();
    const newest = [...entries.values()].sort((a, b) => Date.parse(b.postedAt) - Date.parse(a.postedAt) || Number(b.id) - Number(a.id)).slice(0, 20);
    for (const [id] of entries) if (!newest.some((e) => e.id === id)) entries.delete(id);
    if (newest.length === 0) {
      const li = document.createElement('li');
      li.className = 'empty';
      li.textContent = '暂无动态';
      feed.replaceChildren(li);
    } else {
      feed.replaceChildren(
        ...newest.map((entry) => {
          const li = document.createElement('li');
          li.dataset.entry = entry.id;
          li.innerHTML = '<time></time><span class="text"></span>';
          li.querySelector('time')!.dateTime = entry.postedAt;
          li.querySelector('time')!.textContent = feedTime(entry.postedAt, now);
          li.querySelector('.text')!.textContent = entry.text;
          return li;
        }),
      );
    }
    screen.relayout();
  };
  const addEntries = (list: Entry[]) => {
    for (const entry of list) entries.set(entry.id, entry);
    showFeed();
  };
  // "09:05" becomes "4月20日 09:05" once the day has passed
  setInterval(showFeed, 60_000);

  let described = false;
  const describe = (a: any) => {
    if (described) return;
    described = true;
    set(screen.$('theme'), a.campaign.theme ?? a.campaign.title);
    set(screen.$('title'), a.title);
    set(screen.$('when'), shanghaiTime(a.startsAt) + (a.endsAt ? ` — ${shanghaiTime(a.endsAt).replace(/^.*日 /, '')}` : ''));
    set(screen.$('where'), a.location ?? '');
    set(screen.$('lead'), a.leadUnit ? `主办：${a.leadUnit.name}` : '');
    screen.relayout();
  };

  await keepCurrent({
    token: screen.token,
    async read() {
      const data = await query(screen.token, documents.read, { a: activityId });
      if (!data.activity) throw new InvalidLink('NOT_FOUND');
      return () => {
        describe(data.activity);
        tiles.setTargets(data.activity.targets);
        for (const s of data.activity.statistics) tiles.setValue(s.indicator, s.value, s.approximate);
        if (data.activity.targets.length === 0 && data.activity.statistics.length === 0) tiles.showEmptyNote();
        addEntries(data.feed.edges.map((e: { node: Entry }) => e.node));
      };
    },
    subscriptions: [
      {
        query: documents.statisticChanged,
        variables: { a: activityId },
        onData: (d) => tiles.setValue(d.statisticChanged.indicator, d.statisticChanged.value, d.statisticChanged.approximate),
      },
      {
        query: documents.feedEntryAdded,
        variables: { a: activityId },
        onData: (d) => addEntries([d.feedEntryAdded]),
      },
    ],
    onStatus: screen.setStatus,
    onPolled: screen.setPolled,
    onInvalid: screen.showInvalid,
    onLiveAgain: () => {
      query(screen.token, documents.readFeed, { a: activityId })
        .then((data) => addEntries(data.feed.edges.map((e: { node: Entry }) => e.node)))
        .catch(() => undefined);
    },
  });
}
