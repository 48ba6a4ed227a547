import { RootReadable, TenantOwned } from '@cascade/kernel';
import { Directive, Field, Int, ObjectType } from 'type-graphql';
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

  /**
   * Raised by signOut, by revocation and by any change of role: a token carries the version it
   * was issued with, and the gateway refuses one that is no longer the user's. Not public: the
   * gateway reads it through an entity lookup of the user.
   */
  @Directive('@inaccessible')
  @Field(() => Int)
  @Column({ name: 'token_version', type: 'int', default: 0 })
  tokenVersion: number;

  /** Set by removeUser: the account no longer signs in; the row stays so its authorship still resolves. */
  @Column({ name: 'removed_at', type: 'datetime', nullable: true })
  removedAt: Date | null;

  /** For the gateway's token check (not public). */
  @Directive('@inaccessible')
  @Field(() => Boolean, { name: 'removed' })
  get removed(): boolean {
    return !!this.removedAt;
  }
}
