import { Arg, Ctx, FieldResolver, Mutation, Resolver, Root } from 'type-graphql';
import { OrgContext } from '../context';
import { Committee, CommitteeMember, Person, Tenant, Unit } from '../entities';
import { directoryService } from '../services/directory-service';
import { AddCommitteeMemberInput, CreateCommitteeInput, CreatePersonInput, CreateUnitInput } from './inputs';

@Resolver(() => Unit)
export class UnitResolver {
  @Mutation(() => Unit)
  createUnit(@Arg('input') input: CreateUnitInput, @Ctx() ctx: OrgContext) {
    return directoryService.createUnit(ctx, input);
  }

  @FieldResolver(() => Tenant)
  tenant(@Root() unit: Unit, @Ctx() ctx: OrgContext) {
    return ctx.loaders.tenant.load(unit.tenantId);
  }
}

@Resolver(() => Person)
export class PersonResolver {
  @Mutation(() => Person)
  createPerson(@Arg('input') input: CreatePersonInput, @Ctx() ctx: OrgContext) {
    return directoryService.createPerson(ctx, input);
  }

  @FieldResolver(() => Unit, { nullable: true })
  unit(@Root() person: Person, @Ctx() ctx: OrgContext) {
    return person.unitId ? ctx.loaders.unit.load(person.unitId) : null;
  }
}

@Resolver(() => Committee)
export class CommitteeResolver {
  @Mutation(() => Committee)
  createCommittee(@Arg('input') input: CreateCommitteeInput, @Ctx() ctx: OrgContext) {
    return directoryService.createCommittee(ctx, input);
  }

  @Mutation(() => CommitteeMember)
  addCommitteeMember(@Arg('input') input: AddCommitteeMemberInput, @Ctx() ctx: OrgContext) {
    return directoryService.addMember(ctx, input);
  }

  @FieldResolver(() => [CommitteeMember])
  members(@Root() committee: Committee, @Ctx() ctx: OrgContext) {
    return ctx.loaders.members.load(committee.id);
  }
}

@Resolver(() => CommitteeMember)
export class CommitteeMemberResolver {
  @FieldResolver(() => Person)
  person(@Root() member: CommitteeMember, @Ctx() ctx: OrgContext) {
    return ctx.loaders.person.load(member.personId);
  }
}
