import { TenantOwned } from '@cascade/kernel';
import { Directive, Field, ObjectType } from 'type-graphql';
import { Column, Entity } from 'typeorm';

/**
 * A read-only link for a big screen: one activity, or one tenant's roll-up (optionally for a
 * campaign). Its token can read and subscribe to that target only; it expires and can be revoked.
 */
@Directive('@key(fields: "id")')
@ObjectType()
@Entity('screen_links')
export class ScreenLink extends TenantOwned {
  @Column({ name: 'activity_id', type: 'int', nullable: true })
  activityId: number | null;

  @Column({ name: 'target_tenant_id', type: 'int', nullable: true })
  targetTenantId: number | null;

  @Column({ name: 'campaign_id', type: 'int', nullable: true })
  campaignId: number | null;

  @Field(() => Date)
  @Column({ name: 'expires_at', type: 'datetime' })
  expiresAt: Date;

  @Column({ name: 'revoked_at', type: 'datetime', nullable: true })
  revokedAt: Date | null;

  @Column({ name: 'created_by', type: 'int' })
  createdBy: number;

  get active(): boolean {
    return !this.revokedAt && this.expiresAt.getTime() > Date.now();
  }
}
