import { Arg, Ctx, FieldResolver, ID, Mutation, Query, Resolver, Root } from 'type-graphql';
import { CampaignsContext } from '../context';
import { Activity, Campaign, Slogan, Statistic, Task } from '../entities';
import { activityService, taskStatus, UpdateActivityData } from '../services/activity-service';
import { campaignService } from '../services/campaign-service';
import { statisticService } from '../services/statistic-service';
import { AddSloganInput, AssignTaskInput, CreateActivityInput, IncrementStatisticInput, IndicatorTarget, RecordStatisticInput, TenantRef, tenantRef, UnitRef, unitRef, UpdateActivityInput, UpdateTaskInput } from './types';

@Resolver(() => Activity)
export class ActivityResolver {
  @Query(() => Activity, { nullable: true })
  activity(@Arg('id', () => ID) id: string, @Ctx() ctx: CampaignsContext) {
    return activityService.find(ctx, id);
  }

  @Mutation(() => Activity)
  createActivity(@Arg('input') input: CreateActivityInput, @Ctx() ctx: CampaignsContext) {
    return activityService.create(ctx, input);
  }

  @Mutation(() => Activity, { description: 'Corrects an activity of your own tenant: only the fields given change, checked as at creation; CONFLICT once its campaign is CLOSED' })
  updateActivity(@Arg('input') input: UpdateActivityInput, @Ctx() ctx: CampaignsContext) {
    return activityService.update(ctx, input as UpdateActivityData);
  }

  @Mutation(() => Boolean, { description: 'Deletes an activity of your own tenant with its statistics, only while none is above 0 (CONFLICT otherwise, or once its campaign is CLOSED)' })
  deleteActivity(@Arg('id', () => ID) id: string, @Ctx() ctx: CampaignsContext) {
    return activityService.delete(ctx, id);
  }

  @FieldResolver(() => Campaign)
  campaign(@Root() activity: Activity, @Ctx() ctx: CampaignsContext) {
    return campaignService.get(ctx, activity.campaignId);
  }

  @FieldResolver(() => TenantRef, { description: 'The tenant that runs the activity' })
  tenant(@Root() activity: Activity) {
    return tenantRef(activity.tenantId);
  }

  @FieldResolver(() => UnitRef, { nullable: true })
  leadUnit(@Root() activity: Activity) {
    return unitRef(activity.leadUnitId);
  }

  @FieldResolver(() => [UnitRef])
  supportingUnits(@Root() activity: Activity) {
    return activity.supportingUnitIds.map(unitRef);
  }

  @FieldResolver(() => [IndicatorTarget], { description: 'What the activity aims for, one per indicator (万人签名: SIGNATURES 10000)' })
  targets(@Root() activity: Activity): IndicatorTarget[] {
    return activity.targets ?? [];
  }

  @FieldResolver(() => [Statistic])
  statistics(@Root() activity: Activity, @Ctx() ctx: CampaignsContext) {
    return ctx.loaders.statisticsOf.load(activity.id);
  }
}

@Resolver(() => Task)
export class TaskResolver {
  @Mutation(() => Task)
  assignTask(@Arg('input') input: AssignTaskInput, @Ctx() ctx: CampaignsContext) {
    return activityService.assignTask(ctx, input);
  }

  @Mutation(() => Task, { description: 'Corrects a task of your own tenant: only the fields given change; CONFLICT once its campaign is CLOSED' })
  updateTask(@Arg('input') input: UpdateTaskInput, @Ctx() ctx: CampaignsContext) {
    return activityService.updateTask(ctx, input);
  }

  @Mutation(() => Task)
  completeTask(@Arg('id', () => ID) id: string, @Ctx() ctx: CampaignsContext) {
    return activityService.completeTask(ctx, id);
  }

  @FieldResolver(() => UnitRef)
  unit(@Root() task: Task) {
    return unitRef(task.unitId);
  }

  @FieldResolver(() => String, { description: 'OPEN, DONE or OVERDUE' })
  status(@Root() task: Task) {
    return taskStatus(task);
  }
}

@Resolver(() => Slogan)
export class SloganResolver {
  @Mutation(() => Slogan)
  addSlogan(@Arg('input') input: AddSloganInput, @Ctx() ctx: CampaignsContext) {
    return activityService.addSlogan(ctx, input);
  }

  @FieldResolver(() => UnitRef, { nullable: true })
  unit(@Root() slogan: Slogan) {
    return unitRef(slogan.unitId);
  }
}

@Resolver(() => Statistic)
export class StatisticResolver {
  @Mutation(() => Statistic, { description: 'Sets the value; a negative value answers BAD_USER_INPUT' })
  recordStatistic(@Arg('input') input: RecordStatisticInput, @Ctx() ctx: CampaignsContext) {
    return statisticService.record(ctx, input);
  }

  @Mutation(() => Statistic, { description: 'Adds `by` atomically; the same idempotencyKey twice adds once and returns the same result' })
  incrementStatistic(@Arg('input') input: IncrementStatisticInput, @Ctx() ctx: CampaignsContext) {
    return statisticService.increment(ctx, input);
  }

  @FieldResolver(() => Activity)
  async activity(@Root() statistic: Statistic, @Ctx() ctx: CampaignsContext) {
    return ctx.loaders.activity.load(statistic.activityId);
  }
}
