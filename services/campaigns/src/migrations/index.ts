import { CampaignsInitial1732790000000 } from './1732790000000-CampaignsInitial';
import { FiguresApproximateTargetsClosing1764600000000 } from './1764600000000-FiguresApproximateTargetsClosing';
import { RequiredIndicatorsReportLock1764800000000 } from './1764800000000-RequiredIndicatorsReportLock';
import { CampaignsAuditEntries1764900000000 } from './1764900000000-CampaignsAuditEntries';
import { StatisticVersions1765000000000 } from './1765000000000-StatisticVersions';

export const campaignsMigrations = [CampaignsInitial1732790000000, FiguresApproximateTargetsClosing1764600000000, RequiredIndicatorsReportLock1764800000000, CampaignsAuditEntries1764900000000, StatisticVersions1765000000000];
