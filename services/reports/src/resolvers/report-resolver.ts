import { Arg, Ctx, FieldResolver, ID, Mutation, Query, Resolver, Root } from 'type-graphql';
import { ReportsContext } from '../context';
import { Report, ReportSection } from '../entities';
import { downloadUrl } from '../services/download';
import { reportService } from '../services/report-service';
import { reportText } from '../services/text';
import { CampaignRef, MissingFigure, ref, ReportFigure, ReturnReportInput, SubmitReportInput, TenantRef, UpdateReportSectionInput } from './types';

@Resolver(() => Report)
export class ReportResolver {
  @Query(() => Report, { nullable: true, description: 'A report: its own tenant reads it in every state, ancestors once it was submitted' })
  report(@Arg('id', () => ID) id: string, @Ctx() ctx: ReportsContext) {
    return reportService.find(ctx, id);
  }

  @Mutation(() => Report, { description: 'Editor+ of the campaign’s tenant: creates the DRAFT from data, or refreshes it, keeping sections edited by hand; CONFLICT once SUBMITTED or ACCEPTED' })
  generateReport(@Arg('campaignId', () => ID) campaignId: string, @Ctx() ctx: ReportsContext) {
    return reportService.generate(ctx, campaignId);
  }

  @Mutation(() => Report, { description: 'Editor+ of the report’s tenant: rewrites one section by hand (kept on regeneration); DRAFT or RETURNED only' })
  updateReportSection(@Arg('input') input: UpdateReportSectionInput, @Ctx() ctx: ReportsContext) {
    return reportService.updateSection(ctx, input);
  }

  @Mutation(() => Report, { description: 'Admin of the report’s tenant: sends it to the tenant above, figures taken again from data and statistics locked; BAD_USER_INPUT while figures are missing unless acknowledgeMissing' })
  submitReport(@Arg('input') input: SubmitReportInput, @Ctx() ctx: ReportsContext) {
    return reportService.submit(ctx, input);
  }

  @Mutation(() => Report, { description: 'Admin of the tenant above: sends a SUBMITTED report back with a reason; editable again, statistics unlocked' })
  returnReport(@Arg('input') input: ReturnReportInput, @Ctx() ctx: ReportsContext) {
    return reportService.returnReport(ctx, input);
  }

  @Mutation(() => Report, { description: 'Admin of the tenant above: accepts a SUBMITTED report (final; statistics stay locked)' })
  acceptReport(@Arg('id', () => ID) id: string, @Ctx() ctx: ReportsContext) {
    return reportService.accept(ctx, id);
  }

  @FieldResolver(() => CampaignRef)
  campaign(@Root() report: Report) {
    return ref(report.campaignId);
  }

  @FieldResolver(() => TenantRef)
  tenant(@Root() report: Report) {
    return ref(report.tenantId);
  }

  @FieldResolver(() => Boolean, { description: 'Submitted after dueOn (end of that day, Asia/Shanghai), or not submitted and that day passed' })
  late(@Root() report: Report) {
    return reportService.late(report);
  }

  @FieldResolver(() => [ReportSection], { description: 'In order: 组织领导, 活动开展情况, 主要成效, 下级单位报送情况 (with children), 几点体会, …' })
  sections(@Root() report: Report, @Ctx() ctx: ReportsContext) {
    return reportService.sections(ctx, report);
  }

  @FieldResolver(() => [ReportFigure], { description: 'Every number the text states, one total per indicator (the roll-up)' })
  figures(@Root() report: Report): ReportFigure[] {
    return report.figures;
  }

  @FieldResolver(() => [MissingFigure], { description: 'What the text could not state' })
  missing(@Root() report: Report): MissingFigure[] {
    return report.missing.map((m) => ({ indicator: m.indicator, activity: ref(m.activityId), message: m.message }));
  }

  @FieldResolver(() => String, { description: 'The whole report as plain text: title, numbered headings and paragraphs, issuing office and date' })
  async text(@Root() report: Report, @Ctx() ctx: ReportsContext) {
    return reportText(report, await reportService.sections(ctx, report));
  }

  @FieldResolver(() => String, { description: 'A short-lived capability URL of the report as a Word .docx (relative to the gateway unless PUBLIC_URL is set)' })
  downloadUrl(@Root() report: Report, @Ctx() ctx: ReportsContext) {
    return downloadUrl(ctx.reports, ctx.scope, report);
  }
}
