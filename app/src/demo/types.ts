/**
 * The shape of the demo data: plain records read from the seed documents, loaded through the
 * public API by seed.ts. Times are the documents' Asia/Shanghai wall-clock times (see `shanghai`).
 */
export type Indicator =
  | 'PARTICIPANTS' | 'SIGNATURES' | 'VISITORS' | 'DISPLAY_BOARDS' | 'BANNERS' | 'MATERIALS_DISTRIBUTED'
  | 'CONSULTATIONS' | 'CONSULTATION_POINTS' | 'PUBLICITY_VEHICLES' | 'ENTERPRISES_TRAINED' | 'TRAINEES'
  | 'ENFORCEMENT_OFFICERS' | 'BUSINESSES_INSPECTED' | 'CASES_FILED' | 'ITEMS_CONFISCATED'
  | 'MEDIA_REPORTS' | 'PRESS_CONFERENCES' | 'UNITS_ATTENDING' | 'ENTERPRISES_ATTENDING' | 'COMPLAINTS_RECEIVED';

export type ActivityKind =
  | 'OPENING_CEREMONY' | 'SIGNATURE_DRIVE' | 'FORUM' | 'JOINT_ENFORCEMENT' | 'EXHIBITION' | 'CONSULTATION'
  | 'DESTRUCTION' | 'ENTERPRISE_VISIT' | 'TRAINING' | 'MEDIA_INTERVIEW' | 'OTHER';

export interface DemoActivity {
  title: string;
  kind: ActivityKind;
  startsAt: string;
  endsAt?: string;
  location?: string;
  /** 牵头: only where the document names it */
  lead?: string;
  /** 配合 / 参与 units of the same tenant, or of a tenant above it (co-organisers: 兵团's offices at 八师's activities) */
  supporting?: string[];
  /** value, and whether the document says 余/多/以上 (more than): recorded results */
  statistics?: [Indicator, number, boolean][];
  /** what a plan aims for (万人签名: SIGNATURES 10000; 50名负责人 and 300名学生 expected) */
  targets?: [Indicator, number][];
}

export interface DemoCampaign {
  key: string;
  tenant: string; // DemoTenant.key
  title: string;
  theme?: string;
  startsOn: string;
  endsOn: string;
  focusPoints?: string[];
  reportDueOn?: string;
  /** what every report under this directive (its own too) must state */
  requiredIndicators?: Indicator[];
  implements?: string; // DemoCampaign.key
  /**
   * Where the campaign ends up. A CLOSED campaign is closed after its report (statistics first,
   * then the report, then the close: a closed campaign takes no statistics).
   */
  status: 'PUBLISHED' | 'IN_PROGRESS' | 'CLOSED';
  /** its 工作总结 at the end of loading: generated (DRAFT), or generated and sent up (SUBMITTED) */
  report?: 'DRAFT' | 'SUBMITTED';
  activities?: DemoActivity[];
  tasks?: { unit: string; title: string; dueOn?: string; done?: boolean }[];
  slogans?: { text: string; unit?: string }[];
}

/** "2024-04-20 09:30" in Asia/Shanghai (UTC+8, no daylight saving) as an ISO instant. */
export function shanghai(wallClock: string): string {
  const [day, time = '08:00'] = wallClock.split(' ');
  return new Date(`${day}T${time}:00+08:00`).toISOString();
}

export const WEEK_2024 = { startsOn: '2024-04-20', endsOn: '2024-04-26' } as const;

/** An activity the document places in the week without a day ("宣传周期间"): 4月20日—26日. */
export const WHOLE_WEEK = { startsAt: shanghai('2024-04-20 09:00'), endsAt: shanghai('2024-04-26 18:00') } as const;
