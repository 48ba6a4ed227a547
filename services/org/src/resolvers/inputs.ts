import { Field, ID, InputType, ObjectType } from 'type-graphql';
import { Role, TenantLevel, User } from '../entities';

@InputType()
export class CreateTenantInput {
  @Field()
  name: string;

  @Field(() => TenantLevel)
  level: TenantLevel;

  @Field(() => ID, { nullable: true })
  parentId?: string | null;

  @Field(() => String, { nullable: true })
  code?: string | null;
}

@InputType()
export class CreateUserInput {
  @Field(() => ID)
  tenantId: string;

  @Field()
  email: string;

  @Field()
  name: string;

  @Field()
  password: string;

  @Field(() => Role)
  role: Role;
}

@InputType()
export class CreateUnitInput {
  @Field()
  name: string;
}

@InputType()
export class CreatePersonInput {
  @Field()
  name: string;

  @Field(() => String, { nullable: true })
  title?: string | null;

  @Field(() => ID, { nullable: true })
  unitId?: string | null;
}

@InputType()
export class CreateCommitteeInput {
  @Field()
  name: string;
}

@InputType()
export class AddCommitteeMemberInput {
  @Field(() => ID)
  committeeId: string;

  @Field(() => ID)
  personId: string;

  @Field()
  role: string;
}

@ObjectType()
export class AuthPayload {
  @Field()
  token: string;

  @Field(() => User)
  user: User;
}

@InputType()
export class UpdateUserInput {
  @Field(() => ID)
  id: string;

  @Field(() => Role, { nullable: true })
  role?: Role | null;

  @Field(() => String, { nullable: true })
  name?: string | null;
}
