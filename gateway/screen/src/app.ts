import { activityScreen } from './activity.js';
import { rollupBoard } from './board.js';
import { Screen } from './screen.js';

/**
 * The big screen. `/screen/<token>`: the token names one target — an activity (live counters,
 * progress toward its targets, and its feed) or a tenant's roll-up (totals, and its direct child
 * tenants compared and marked 已报送/未报送). labels.ts is the kernel's figures.ts (a symlink):
 * the same table and number formatter as the reports.
 */
/**
 * Every operation the page sends, in one place: what a screen link may ask is checked against
 * these (kernel screen-rules.ts), and test/subscription-rules.e2e.test.ts replays the page's own
 * subscription documents from here.
 */
const ACTIVITY_DOCUMENTS = {
  read: `query($a: ID!) {
    activity(id: $a) { title startsAt endsAt location leadUnit { name } campaign { title theme }
      targets { indicator value } statistics { indicator value approximate } }
    feed(activityId: $a, first: 20) { edges { node { id text postedAt } } } }`,
  readFeed: 'query($a: ID!) { feed(activityId: $a, first: 20) { edges { node { id text postedAt } } } }',
  statisticChanged: 'subscription($a: ID!) { statisticChanged(activityId: $a) { indicator value approximate } }',
  feedEntryAdded: 'subscription($a: ID!) { feedEntryAdded(activityId: $a) { id text postedAt } }',
};
const ROLLUP = 'tenant { name } campaign { title theme } totals { indicator value approximate } children { tenant { id name } totals { indicator value approximate } }';
const BOARD_DOCUMENTS = {
  read: `query($t: ID!, $c: ID) { rollup(tenantId: $t, campaignId: $c) { ${ROLLUP} } }`,
  reporting: 'query($t: ID!, $c: ID) { rollup(tenantId: $t, campaignId: $c) { campaign { reporting { tenant { id } state late } } } }',
  rollupChanged: `subscription($t: ID!, $c: ID) { rollupChanged(tenantId: $t, campaignId: $c) { ${ROLLUP} } }`,
};

interface Target {
  activityId: string | null;
  tenantId: string | null;
  campaignId: string | null;
}

function targetOf(jwt: string): Target | null {
  try {
    const payload = JSON.parse(atob(jwt.split('.')[1].replace(/-/g, '+').replace(/_/g, '/')));
    return payload.scr ?? null;
  } catch {
    return null;
  }
}

const token = decodeURIComponent(location.pathname.split('/').filter(Boolean)[1] ?? '');
const screen = new Screen(token);
const target = targetOf(token);
if (!target) screen.showInvalid();
else if (target.activityId) void activityScreen(screen, target.activityId, ACTIVITY_DOCUMENTS).catch(screen.showInvalid);
else if (target.tenantId) void rollupBoard(screen, target.tenantId, target.campaignId, BOARD_DOCUMENTS).catch(screen.showInvalid);
else screen.showInvalid();
