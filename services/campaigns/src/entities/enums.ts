import { registerEnumType } from 'type-graphql';

export enum CampaignStatus {
  DRAFT = 'DRAFT',
  PUBLISHED = 'PUBLISHED',
  IN_PROGRESS = 'IN_PROGRESS',
  CLOSED = 'CLOSED',
}
registerEnumType(CampaignStatus, { name: 'CampaignStatus' });

/** The only moves a campaign's status may make. */
export const STATUS_MOVES: Record<CampaignStatus, CampaignStatus[]> = {
  DRAFT: [CampaignStatus.PUBLISHED],
  PUBLISHED: [CampaignStatus.IN_PROGRESS],
  IN_PROGRESS: [CampaignStatus.CLOSED],
  CLOSED: [],
};

export enum ActivityKind {
  OPENING_CEREMONY = 'OPENING_CEREMONY',
  SIGNATURE_DRIVE = 'SIGNATURE_DRIVE',
  FORUM = 'FORUM',
  JOINT_ENFORCEMENT = 'JOINT_ENFORCEMENT',
  EXHIBITION = 'EXHIBITION',
  CONSULTATION = 'CONSULTATION',
  DESTRUCTION = 'DESTRUCTION',
  ENTERPRISE_VISIT = 'ENTERPRISE_VISIT',
  TRAINING = 'TRAINING',
  MEDIA_INTERVIEW = 'MEDIA_INTERVIEW',
  OTHER = 'OTHER',
}
registerEnumType(ActivityKind, { name: 'ActivityKind' });

/** The kernel's (reports names indicators too): one definition. */
export { Indicator } from '@cascade/kernel';
