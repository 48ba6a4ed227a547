import { DistributionRecordedEvent, DurableConsumer, DurableLog, Logger, RequestContext, ScopedData, Scope } from '@cascade/kernel';
import { DataSource } from 'typeorm';
import { CampaignsContext } from '../context';
import { Indicator } from '../entities';
import { statisticService } from './statistic-service';

/** Refusals that no later delivery would change: the event is acknowledged and not counted. */
const FINAL = new Set(['CONFLICT', 'NOT_FOUND', 'FORBIDDEN', 'BAD_USER_INPUT']);

/**
 * Printed matter handed out (media's recordDistribution) counts toward the activity's
 * MATERIALS_DISTRIBUTED statistic. Events come from media's outbox through the durable log, in
 * the `campaigns` consumer group: with N replicas each event goes to one of them, and one that
 * dies leaves its events to the others. Delivery is at least once; the increment runs under the
 * distributing user's tenant with `distribution:<eventId>` as its idempotency key, whose row
 * (statistic_increments, unique per tenant and key) is written in the statistic's own
 * transaction: an event applied twice counts once, and an event is counted only if its
 * statistic and roll-ups committed.
 *
 * A refusal (the campaign closed or its report sent up: CONFLICT; the activity deleted) is
 * final: logged and acknowledged. Anything else (the database down) throws, so the event stays
 * pending and is delivered again.
 */
export function consumeDistributions(options: {
  log: DurableLog;
  dataSource: DataSource;
  logger: Logger;
  extendContext: (base: RequestContext) => CampaignsContext;
}): Promise<DurableConsumer> {
  return options.log.consume('distribution.recorded', 'campaigns', async (event: DistributionRecordedEvent, { eventId }) => {
    const claims = { userId: event.userId, tenantId: String(event.tenantId), tenantPath: event.tenantPath, role: 'EDITOR' as const, root: false };
    const scope = new Scope(claims);
    const ctx = options.extendContext({
      claims,
      scope,
      data: ScopedData.forRequest(options.dataSource, scope),
      signedInAs() {
        throw new Error('not a sign-in');
      },
    });
    try {
      await statisticService.increment(ctx, {
        activityId: String(event.activityId),
        indicator: Indicator.MATERIALS_DISTRIBUTED,
        by: event.quantity,
        idempotencyKey: `distribution:${eventId}`,
      });
    } catch (err) {
      const code = String((err as { extensions?: { code?: unknown } } | null)?.extensions?.code ?? '');
      if (!FINAL.has(code)) throw err;
      options.logger.warn({ code, reason: (err as Error).message, eventId, activityId: event.activityId }, 'distribution not counted');
    }
  });
}
