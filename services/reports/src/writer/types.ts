/**
 * What the report writer reads and what it writes. The writer is a pure function of this
 * data (no database, no network, no clock): the reports service gathers the data as the
 * caller sees it, the writer turns it into the sections of a 工作总结.
 */

/** An indicator name of the campaigns subgraph (PARTICIPANTS, SIGNATURES, …). */
export type IndicatorName = string;

export interface FigureValue {
  indicator: IndicatorName;
  value: number;
  /** The document said 余/多/以上 (more than): written with 余. */
  approximate: boolean;
}

export interface SourceActivity {
  id: string;
  title: string;
  /** ActivityKind: OPENING_CEREMONY, SIGNATURE_DRIVE, EXHIBITION, … */
  kind: string;
  /** ISO instants (UTC); the text writes Asia/Shanghai days. */
  startsAt: string;
  endsAt: string | null;
  location: string | null;
  /** Unit names (牵头 / 配合). */
  leadUnit: string | null;
  supportingUnits: string[];
  statistics: FigureValue[];
  targets: { indicator: IndicatorName; value: number }[];
}

export interface SourceCommittee {
  name: string;
  members: { role: string; name: string; title: string | null; unit: string | null }[];
}

/** A direct child tenant's reporting on this campaign (the 汇总 a level sends up). */
export interface SourceChild {
  tenantName: string;
  state: 'NO_PLAN' | 'NOT_STARTED' | 'DRAFT' | 'SUBMITTED' | 'RETURNED' | 'ACCEPTED';
  /** ISO instant, when submitted. */
  submittedAt: string | null;
  late: boolean;
}

export interface ReportSource {
  tenant: { name: string; level: string };
  campaign: {
    title: string;
    theme: string | null;
    /** YYYY-MM-DD */
    startsOn: string;
    endsOn: string;
  };
  /** Indicators the report must state: the campaign's and every directive's up its chain. */
  requiredIndicators: IndicatorName[];
  committees: SourceCommittee[];
  /** The tenant's own activities of this campaign (any order: the writer sorts by date). */
  activities: SourceActivity[];
  /** The roll-up of the tenant and every descendant for the campaign and its implementations. */
  totals: FigureValue[];
  /** Direct child tenants, in the order to list them (empty for a leaf tenant). */
  children: SourceChild[];
}

export interface GeneratedSection {
  /** Stable key: 'leadership', 'activities', 'results', 'reporting', 'lessons', … */
  key: string;
  /** Without numbering ("组织领导"); the text and the .docx number the headings (一、二、…). */
  heading: string;
  /** Paragraphs separated by "\n". Free sections (written by people) start empty. */
  body: string;
  /** true: written from data, refreshed on every generation; false: free text for people. */
  generated: boolean;
}

export interface GeneratedFigure extends FigureValue {
  /** As an official document writes it: "3600余人", "3万余份", "56人". */
  text: string;
}

export interface GeneratedMissing {
  indicator: IndicatorName;
  /** Set when the figure is missing for one activity (an exhibition without its visitors). */
  activityId: string | null;
  message: string;
}

export interface GeneratedReport {
  /** "2024年第八师石河子市保护知识产权宣传周活动工作总结" */
  title: string;
  sections: GeneratedSection[];
  /** One per indicator of `totals` (the roll-up), in the labels table's order. */
  figures: GeneratedFigure[];
  missing: GeneratedMissing[];
}
