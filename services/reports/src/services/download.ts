import { Claims, Scope, ScopedData, signCapability, verifyCapability } from '@cascade/kernel';
import http from 'node:http';
import { DataSource } from 'typeorm';
import { ReportsRuntime } from '../context';
import { Report, ReportSection } from '../entities';
import { renderReportDocx } from '../docx/render-docx';
import { shanghaiDay } from './deadline';
import { canRead } from './visibility';

/** The public path of a report's .docx on the gateway (forwarded to this service). */
export const DOWNLOAD_PATH = '/reports/download/';
const DOCX_TYPE = 'application/vnd.openxmlformats-officedocument.wordprocessingml.document';

/** What a download URL carries: the report and the reader's scope it was made for. */
interface DownloadToken {
  r: number;
  t: number;
  p: string;
  u: string;
  exp: number;
}

/** A short-lived capability URL for the report's .docx, bound to the report and to the reader's scope. */
export function downloadUrl(runtime: ReportsRuntime, scope: Scope, report: Report, now = Date.now()): string {
  const exp = Math.floor(now / 1000) + runtime.config.REPORT_DOWNLOAD_URL_TTL_SECONDS;
  const token = signCapability({ r: report.id, t: scope.tenantId, p: scope.tenantPath, u: String(scope.claims.userId), exp }, runtime.urlKey);
  return `${(runtime.config.PUBLIC_URL ?? '').replace(/\/+$/, '')}${DOWNLOAD_PATH}${token}`;
}

/**
 * GET /reports/download/<token>: the report rendered as a Word document at the time of the
 * request. The token is the authorisation; the report is read with the scope it was made for
 * and the same visibility rule as GraphQL. Anything that does not verify answers 404.
 */
export function reportsHttp(runtime: ReportsRuntime, dataSource: DataSource) {
  return (req: http.IncomingMessage, res: http.ServerResponse, next: () => void) => {
    const path = (req.url ?? '/').split('?')[0];
    if (!path.startsWith('/reports/')) return next();
    serve(req, res, path).catch((err) => {
      runtime.logger.error({ err }, 'report download failed');
      if (!res.headersSent) answer(res, 500, 'INTERNAL_SERVER_ERROR', 'Internal server error');
      else res.destroy();
    });
  };

  async function serve(req: http.IncomingMessage, res: http.ServerResponse, path: string) {
    if (!path.startsWith(DOWNLOAD_PATH)) return answer(res, 404, 'NOT_FOUND', 'Not found');
    if (req.method !== 'GET' && req.method !== 'HEAD') return answer(res, 405, 'BAD_REQUEST', 'Download with GET');
    const verified = verifyCapability<DownloadToken>(path.slice(DOWNLOAD_PATH.length), runtime.urlKey);
    if (!verified.ok) {
      return verified.reason === 'expired' ? answer(res, 403, 'FORBIDDEN', 'This download URL has expired: ask for the report again') : answer(res, 404, 'NOT_FOUND', 'Not found');
    }
    const token = verified.payload;
    if (!Number.isInteger(token.r) || !Number.isInteger(token.t) || typeof token.p !== 'string' || typeof token.u !== 'string') {
      return answer(res, 404, 'NOT_FOUND', 'Not found');
    }
    const claims: Claims = { userId: token.u, tenantId: String(token.t), tenantPath: token.p, role: 'VIEWER', root: false };
    const scope = new Scope(claims);
    const data = ScopedData.forRequest(dataSource, scope);
    const report = await data.repo(Report).findById(token.r);
    if (!report || !canRead(scope, null, report)) return answer(res, 404, 'NOT_FOUND', 'Not found');
    const sections = await data.repo(ReportSection).find({ reportId: report.id }, { position: 'ASC' });
    const file = await renderReportDocx({
      title: report.title,
      sections: sections.map((s) => ({ heading: s.heading, body: s.body })),
      office: report.office,
      date: shanghaiDay(report.submittedAt ?? report.generatedAt),
    });
    res.writeHead(200, {
      'content-type': DOCX_TYPE,
      'content-length': file.length,
      'content-disposition': `attachment; filename="report-${report.id}.docx"; filename*=UTF-8''${encodeURIComponent(`${report.title}.docx`)}`,
      'cache-control': 'private, no-store',
      'x-content-type-options': 'nosniff',
    });
    res.end(req.method === 'HEAD' ? undefined : file);
  }
}

function answer(res: http.ServerResponse, status: number, code: string, message: string) {
  res.writeHead(status, { 'content-type': 'application/json; charset=utf-8', 'cache-control': 'no-store' });
  res.end(JSON.stringify({ errors: [{ message, extensions: { code } }] }));
}
