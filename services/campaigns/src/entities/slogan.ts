import { TenantOwned } from '@cascade/kernel';
import { Field, ObjectType } from 'type-graphql';
import { Column, Entity, Index } from 'typeorm';

/** A slogan (宣传口号) with the unit that hangs its banner (横幅制作安排). */
@ObjectType()
@Entity('slogans')
export class Slogan extends TenantOwned {
  @Index()
  @Column({ name: 'campaign_id', type: 'int' })
  campaignId: number;

  @Field()
  @Column({ type: 'varchar', length: 500 })
  text: string;

  @Column({ name: 'unit_id', type: 'int', nullable: true })
  unitId: number | null;
}
