import { DemoCampaign, shanghai } from './types';

/**
 * Not a document: the stage for `npm run demo:ceremony`. The documents' 万人签名 (八师's 2024 opening
 * ceremony) is over — its campaign is closed and its summary sent up, so it takes no statistics.
 * The live signature drive plays on this campaign instead: 八师's, dated around the day the demo
 * is loaded so its week is in progress, implementing no directive (nothing of it reaches the 2024
 * roll-ups or reports), with the drive's target of 10000 signatures. Its title says what it is.
 */
export const LIVE_TITLE = '保护知识产权万人签名活动（大屏演示）';

export function liveSignatureDrive(now = new Date()): DemoCampaign {
  const day = (offset: number) => new Date(now.getTime() + 8 * 3600_000 + offset * 86_400_000).toISOString().slice(0, 10); // Asia/Shanghai
  return {
    key: 'live', tenant: 'bashi', startsOn: day(-1), endsOn: day(5), status: 'IN_PROGRESS',
    title: `第八师石河子市${LIVE_TITLE}`,
    theme: '保护知识产权，促进创新发展',
    activities: [
      {
        title: LIVE_TITLE, kind: 'SIGNATURE_DRIVE', startsAt: shanghai(`${day(-1)} 09:00`), endsAt: shanghai(`${day(5)} 18:00`),
        location: '工人文化宫', lead: '师市整规办',
        targets: [['SIGNATURES', 10000]],
      },
    ],
  };
}
