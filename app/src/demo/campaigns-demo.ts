import { BASHI_WEEK, BINGTUAN_WEEK } from './documents/bashi';
import { FUJIAN_PLAN, NATIONAL_NOTICE } from './documents/directives';
import { GULOU_PLAN } from './documents/gulou';
import { TAIXING_PLAN } from './documents/taixing';
import { ZHEJIANG_CALENDAR } from './documents/zhejiang';
import { liveSignatureDrive } from './live-demo';
import { DemoCampaign } from './types';

export type { DemoActivity, DemoCampaign, Indicator } from './types';

/**
 * The demo campaigns, one module per seed document (documents/*), in load order: a directive
 * before the campaigns implementing it.
 */
export const DEMO_CAMPAIGNS: DemoCampaign[] = [NATIONAL_NOTICE, BINGTUAN_WEEK, BASHI_WEEK, ZHEJIANG_CALENDAR, FUJIAN_PLAN, GULOU_PLAN, TAIXING_PLAN];

/** The documents' campaigns and the live signature drive's stage, dated around `now`. */
export function demoCampaigns(now = new Date()): DemoCampaign[] {
  return [...DEMO_CAMPAIGNS, liveSignatureDrive(now)];
}
