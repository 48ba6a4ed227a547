import { badInput, changesBetween, Claims, conflict, forbidden, isUniqueViolation, notFound, optionalText, recordAudit, requiredText, ScopedData, toId } from '@cascade/kernel';
import { In } from 'typeorm';
import { ReportsContext } from '../context';
import { EDITABLE, Report, ReportSection, ReportStatus, SENT_UP } from '../entities';
import { writeReport } from '../writer/write-report';
import { GeneratedReport, ReportSource } from '../writer/types';
import { isLate } from './deadline';
import { publishReportChanged } from './events';
import { reportingOf } from './reporting';
import { canRead } from './visibility';
import { CampaignFacts, readActivitiesAndTotals, readCommittees, readTenant, requireCampaign, setStatisticsLock } from './sources';

/** The longest section body a person may write (a long 几点体会 is some pages, not a book). */
export const MAX_SECTION_CHARS = 20_000;
export const MAX_REASON_CHARS = 2000;

/**
 * Reports: a tenant's work summary of one campaign, generated from data, edited by people,
 * submitted to the tenant above, returned or accepted there. Who reads a report: its own
 * tenant in every state, its ancestors once it was sent up (SUBMITTED, RETURNED, ACCEPTED),
 * nobody else (visibility.ts).
 */
export const reportService = {
  /** A report the caller may read, or null (missing and invisible answer alike). */
  async find(ctx: ReportsContext, id: string | number): Promise<Report | null> {
    const report = toId(id) === null ? null : await ctx.data.repo(Report).findById(id);
    return report && canRead(ctx.scope, ctx.claims.screen, report) ? report : null;
  },

  async forCampaign(ctx: ReportsContext, campaignId: string): Promise<Report | null> {
    const id = toId(campaignId);
    if (id === null) return null;
    const [report] = await ctx.data.repo(Report).find({ campaignId: id });
    return report && canRead(ctx.scope, ctx.claims.screen, report) ? report : null;
  },

  async sections(ctx: ReportsContext, report: Report): Promise<ReportSection[]> {
    return ctx.data.repo(ReportSection).find({ reportId: report.id }, { position: 'ASC' });
  },

  /** Creates the DRAFT from data, or refreshes it, keeping the sections edited by hand. */
  async generate(ctx: ReportsContext, campaignId: string): Promise<Report> {
    ctx.scope.requireRole('EDITOR');
    const campaign = await requireCampaign(ctx, campaignId);
    if (campaign.tenantId !== String(ctx.scope.tenantId)) throw forbidden('Only the campaign’s own tenant writes its report');
    const [existing] = await ctx.data.repo(Report).find({ campaignId: Number(campaign.id) });
    if (existing && !EDITABLE.includes(existing.status)) throw notEditable(existing);
    const { generated, office } = await write(ctx, campaign);
    const generateAudited = (tx: ScopedData) => audited(tx, ctx.claims, 'GENERATE', campaign, () => store(tx, campaign, generated, office));
    try {
      return await ctx.data.transaction(generateAudited);
    } catch (err) {
      // two first generations at once: the other one created the row; refresh it instead
      if (!isUniqueViolation(err)) throw err;
      return ctx.data.transaction(generateAudited);
    }
  },

  async updateSection(ctx: ReportsContext, input: { reportId: string; key: string; body: string }): Promise<Report> {
    ctx.scope.requireRole('EDITOR');
    const report = await ownReport(ctx, input.reportId);
    const body = optionalText(input.body, 'body', MAX_SECTION_CHARS, { multiline: true }) ?? '';
    await ctx.data.transaction(async (tx) => {
      const locked = await lockReport(tx, report.id);
      if (!EDITABLE.includes(locked.status)) throw notEditable(locked);
      const [section] = await tx.repo(ReportSection).find({ reportId: report.id, key: input.key });
      if (!section) throw badInput(`The report has no section "${input.key}"`, 'key');
      await recordAudit(tx, ctx.claims, { tenant: locked, action: 'UPDATE_SECTION', entityType: 'Report', entityId: report.id, changes: changesBetween({ [`sections.${section.key}`]: section.body }, { [`sections.${section.key}`]: body }) });
      await tx.repo(ReportSection).update(section.id, { body, edited: true });
    });
    return (await ctx.data.repo(Report).reload(report.id))!;
  },

  /**
   * Sends the report up. The statistics are locked first, then the figures are taken again
   * from the now frozen data, so what the parent receives is what the data says; a refusal
   * (missing figures not acknowledged, a concurrent decision) unlocks them again.
   */
  async submit(ctx: ReportsContext, input: { id: string; acknowledgeMissing?: boolean | null }): Promise<Report> {
    ctx.scope.requireRole('ADMIN');
    const report = await ownReport(ctx, input.id);
    if (!EDITABLE.includes(report.status)) throw notEditable(report);
    const campaign = await requireCampaign(ctx, String(report.campaignId));
    const tenant = await readTenant(ctx, campaign.tenantId);
    if (!tenant?.parentId) throw badInput('A top-level tenant has no tenant above to submit to', 'id');
    await setStatisticsLock(ctx, campaign.id, true);
    let submitted: Report;
    try {
      const { generated, office } = await write(ctx, campaign);
      if (generated.missing.length > 0 && !input.acknowledgeMissing) {
        throw badInput(`${generated.missing.length} figure(s) missing: ${generated.missing.map((m) => m.message).join('；')}. Record them, or submit with acknowledgeMissing: true`, 'acknowledgeMissing');
      }
      submitted = await ctx.data.transaction((tx) =>
        audited(tx, ctx.claims, 'SUBMIT', campaign, async () => {
          const refreshed = await store(tx, campaign, generated, office);
          await transition(tx, refreshed, EDITABLE, { status: ReportStatus.SUBMITTED, submittedAt: new Date(), submittedBy: toId(ctx.claims.userId ?? ''), returnReason: null });
          return (await tx.repo(Report).reload(refreshed.id))!;
        }),
      );
    } catch (err) {
      // unlock unless another request sent it up meanwhile (its lock is the one that counts)
      const now = await ctx.data.repo(Report).reload(report.id);
      if (!now || EDITABLE.includes(now.status)) await setStatisticsLock(ctx, campaign.id, false).catch(() => undefined);
      throw err;
    }
    await publishReportChanged(ctx, submitted);
    return submitted;
  },

  /** The tenant above sends it back with a reason: editable again, statistics unlocked. */
  async returnReport(ctx: ReportsContext, input: { id: string; reason: string }): Promise<Report> {
    const report = await receivedReport(ctx, input.id);
    const reason = requiredText(input.reason, 'reason', MAX_REASON_CHARS, { multiline: true });
    if (report.status !== ReportStatus.SUBMITTED) throw conflict(`The report is ${report.status}: only a SUBMITTED report can be returned`);
    await setStatisticsLock(ctx, String(report.campaignId), false);
    try {
      await ctx.data.transaction((tx) => decide(tx, ctx, report, 'RETURN', decision(ctx, ReportStatus.RETURNED, reason)));
    } catch (err) {
      await setStatisticsLock(ctx, String(report.campaignId), true).catch(() => undefined);
      throw err;
    }
    const returned = (await ctx.data.repo(Report).reload(report.id))!;
    await publishReportChanged(ctx, returned);
    return returned;
  },

  /** The tenant above accepts it: final; the statistics stay locked. */
  async accept(ctx: ReportsContext, id: string): Promise<Report> {
    const report = await receivedReport(ctx, id);
    if (report.status !== ReportStatus.SUBMITTED) throw conflict(`The report is ${report.status}: only a SUBMITTED report can be accepted`);
    await ctx.data.transaction((tx) => decide(tx, ctx, report, 'ACCEPT', decision(ctx, ReportStatus.ACCEPTED, null)));
    const accepted = (await ctx.data.repo(Report).reload(report.id))!;
    await publishReportChanged(ctx, accepted);
    return accepted;
  },

  late(report: Report, now = Date.now()): boolean {
    return isLate(report.dueOn, SENT_UP.includes(report.status) ? report.submittedAt : null, now);
  },
};

const notEditable = (report: Report) => conflict(`The report is ${report.status}: only a DRAFT or RETURNED report can change`);

/** A report of the caller's own tenant. */
async function ownReport(ctx: ReportsContext, id: string): Promise<Report> {
  const report = await reportService.find(ctx, id);
  if (!report) throw notFound('Report');
  if (report.tenantId !== ctx.scope.tenantId) throw forbidden('Only the report’s own tenant changes it');
  return report;
}

/** A report sent up to the caller's tenant: only the admins of the tenant directly above decide on it. */
async function receivedReport(ctx: ReportsContext, id: string): Promise<Report> {
  ctx.scope.requireRole('ADMIN');
  const report = await reportService.find(ctx, id);
  if (!report) throw notFound('Report');
  if (report.tenantPath !== `${ctx.scope.tenantPath}${report.tenantId}/`) throw forbidden('Only the tenant directly above decides on a report');
  return report;
}

/** What an audit entry states of a report: its state and what it says (not its sections' text: updateReportSection records those). */
function auditedFields(report: Report | null): Record<string, unknown> {
  if (!report) return {};
  const { status, title, dueOn, submittedAt, returnReason, decidedAt, figures, missing } = report;
  return { status, title, dueOn, submittedAt, returnReason, decidedAt, figures, missing };
}

/**
 * Runs a write of the campaign's report and records it in the same transaction: the report's
 * fields before (none on a first generation) and after, as the report's own tenant's entry
 * (its admins and those above read it; a decision of the tenant above is recorded there too).
 */
async function audited(tx: ScopedData, claims: Claims, action: string, campaign: CampaignFacts, write: () => Promise<Report>): Promise<Report> {
  const [found] = await tx.repo(Report).find({ campaignId: Number(campaign.id) });
  const before = found ? await lockReport(tx, found.id) : null;
  const after = await write();
  const now = (await tx.repo(Report).reload(after.id)) ?? after;
  await recordAudit(tx, claims, { tenant: now, action, entityType: 'Report', entityId: now.id, changes: changesBetween(auditedFields(before), auditedFields(now)) });
  return after;
}

/** The tenant above returns or accepts a SUBMITTED report, recorded in the same transaction. */
async function decide(tx: ScopedData, ctx: ReportsContext, report: Report, action: 'RETURN' | 'ACCEPT', patch: Partial<Report>): Promise<void> {
  await transition(tx, report, [ReportStatus.SUBMITTED], patch);
  // transition changed it only from SUBMITTED: that is the state before
  await recordAudit(tx, ctx.claims, { tenant: report, action, entityType: 'Report', entityId: report.id, changes: changesBetween({ ...auditedFields(report), status: ReportStatus.SUBMITTED }, patch) });
}

function decision(ctx: ReportsContext, status: ReportStatus, reason: string | null): Partial<Report> {
  return { status, returnReason: reason, decidedAt: new Date(), decidedBy: toId(ctx.claims.userId ?? '') };
}

/** Gathers the data as the caller sees it and writes the report's text from it. */
async function write(ctx: ReportsContext, campaign: CampaignFacts): Promise<{ generated: GeneratedReport; office: string }> {
  const [tenant, committees, { activities, totals }, reporting] = await Promise.all([
    readTenant(ctx, campaign.tenantId),
    readCommittees(ctx, campaign.tenantId),
    readActivitiesAndTotals(ctx, campaign),
    reportingOf(ctx, campaign),
  ]);
  if (!tenant) throw notFound('Tenant');
  const source: ReportSource = {
    tenant: { name: tenant.name, level: tenant.level },
    campaign: { title: campaign.title, theme: campaign.theme, startsOn: campaign.startsOn, endsOn: campaign.endsOn },
    requiredIndicators: campaign.requiredIndicators,
    committees,
    activities,
    totals,
    children: reporting.map((r) => ({ tenantName: r.tenant.name, state: r.state, submittedAt: r.submittedAt?.toISOString() ?? null, late: r.late })),
  };
  return { generated: writeReport(source), office: tenant.name };
}

/** Writes the generated report: the row (created on first generation) and its sections, keeping hand-edited ones. */
async function store(tx: ScopedData, campaign: CampaignFacts, generated: GeneratedReport, office: string): Promise<Report> {
  const fields = {
    title: generated.title,
    dueOn: campaign.dueOn,
    office,
    generatedAt: new Date(),
    figures: generated.figures.map((f) => ({ indicator: f.indicator, value: f.value, approximate: f.approximate, text: f.text })),
    missing: generated.missing.map((m) => ({ indicator: m.indicator, activityId: m.activityId, message: m.message })),
  };
  const [found] = await tx.repo(Report).find({ campaignId: Number(campaign.id) });
  let report: Report;
  if (found) {
    const locked = await lockReport(tx, found.id);
    if (!EDITABLE.includes(locked.status)) throw notEditable(locked);
    report = await tx.repo(Report).update(found.id, fields);
  } else {
    report = await tx.repo(Report).insert({ ...fields, campaignId: Number(campaign.id), status: ReportStatus.DRAFT, submittedAt: null, submittedBy: null, returnReason: null, decidedAt: null, decidedBy: null });
  }
  const sections = tx.repo(ReportSection);
  const current = new Map((await sections.find({ reportId: report.id })).map((s) => [s.key, s]));
  for (const [position, section] of generated.sections.entries()) {
    const existing = current.get(section.key);
    current.delete(section.key);
    if (!existing) {
      await sections.insert({ reportId: report.id, key: section.key, heading: section.heading, body: section.body, edited: false, generated: section.generated, position });
    } else if (existing.edited || !section.generated) {
      // written by people: kept as they wrote it
      if (existing.position !== position || existing.heading !== section.heading) await sections.update(existing.id, { position, heading: section.heading });
    } else {
      await sections.update(existing.id, { body: section.body, heading: section.heading, position });
    }
  }
  // a generated section the data no longer gives (no children any more) goes; people's text stays
  for (const left of current.values()) if (!left.edited && left.generated) await sections.delete(left.id);
  return report;
}

/** Re-reads the report inside the transaction, locking its row on MySQL (SQLite runs one write at a time). */
async function lockReport(tx: ScopedData, id: number): Promise<Report> {
  const qb = tx.repo(Report).query('r').andWhere('r.id = :id', { id });
  if (qb.connection.options.type === 'mysql') qb.setLock('pessimistic_write');
  const report = await qb.getOne();
  if (!report) throw notFound('Report');
  return report;
}

/** Moves the report from one of `from` to the patch's status, or answers CONFLICT when another request moved it first. */
async function transition(tx: ScopedData, report: Report, from: ReportStatus[], patch: Partial<Report>): Promise<void> {
  // unscoped: a conditional state change; callers checked who may make it (own tenant, or the tenant directly above)
  const result = await tx.manager.update(Report, { id: report.id, status: In(from) }, patch);
  if (!result.affected) throw conflict('The report changed meanwhile: read it again');
}
