import { auditRowsResolver, capabilityKey, ServiceModule } from '@cascade/kernel';
import { ReportsContext, ReportsRuntime } from './context';
import { Report, reportsEntities } from './entities';
import { reportsMigrations } from './migrations';
import { CampaignReportsResolver } from './resolvers/campaign-reports-resolver';
import { ReportResolver } from './resolvers/report-resolver';
import { reportsHttp } from './services/download';
import { canRead } from './services/visibility';

/**
 * The reports subgraph: work summaries (工作总结) generated from a tenant's data, edited by
 * people, sent up the tenant tree (报送) and decided on there. It owns its rows and reads
 * campaigns and org as the caller (services/sources.ts), never their databases or code.
 */
export const reportsModule: ServiceModule<ReportsContext> = {
  name: 'reports',
  entities: reportsEntities,
  migrations: reportsMigrations,
  subgraph({ config, secrets, bus, dataSource, logger }) {
    const reports: ReportsRuntime = { config, internalSecret: secrets.internalSecret, urlKey: capabilityKey(secrets.internalSecret, 'report downloads'), bus, logger };
    return {
      name: 'reports',
      resolvers: [auditRowsResolver('reports'), ReportResolver, CampaignReportsResolver],
      references: {
        Report: {
          __resolveReference: async (ref: { id: string }, ctx: ReportsContext) => {
            const report = await ctx.data.repo(Report).findById(ref.id);
            return report && canRead(ctx.scope, ctx.claims.screen, report) ? report : null;
          },
        },
        Campaign: { __resolveReference: (ref: { id: string }) => ref },
      },
      // composing the supergraph builds the schema without a database: no download route then
      http: dataSource ? reportsHttp(reports, dataSource) : undefined,
      extendContext: (base): ReportsContext => ({ ...base, reports }),
    };
  },
};
