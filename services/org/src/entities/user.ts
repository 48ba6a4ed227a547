import { RootReadable, TenantOwned } from '@cascade/kernel';
import { Directive, Field, ObjectType } from 'type-graphql';
import { Column, Entity, Index } from 'typeorm';
import { Role } from './enums';

/** An account that signs in; belongs to one tenant with one role. */
@Directive('@key(fields: "id")')
@ObjectType()
@RootReadable()
@Entity('users')
export class User extends TenantOwned {
  /** Stored lower-cased; unique across the platform. */
  @Field()
  @Index('UQ_users_email', { unique: true })
  @Column({ type: 'varchar', length: 254 })
  email: string;

  @Field()
  @Column({ type: 'varchar', length: 200 })
  name: string;

  @Field(() => Role)
  @Column({ type: 'varchar', length: 16 })
  role: Role;

  @Column({ name: 'password_hash', type: 'varchar', length: 255 })
  passwordHash: string;
}
