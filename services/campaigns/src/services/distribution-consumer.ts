import { DistributionRecordedEvent, EventBus, Logger, RequestContext, ScopedData, Scope } from '@cascade/kernel';
import { DataSource } from 'typeorm';
import { CampaignsContext } from '../context';
import { Indicator } from '../entities';
import { statisticService } from './statistic-service';

/**
 * Printed matter handed out (media's recordDistribution) counts toward the activity's
 * MATERIALS_DISTRIBUTED statistic. The event carries the distributing user's tenant; the
 * increment runs under that scope with the event id as its idempotency key, so an event
 * delivered twice is applied once.
 */
export function consumeDistributions(options: {
  bus: EventBus;
  dataSource: DataSource;
  logger: Logger;
  extendContext: (base: RequestContext) => CampaignsContext;
}): Promise<() => void> {
  return options.bus.subscribe('distribution.recorded', (event: DistributionRecordedEvent) => {
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
    statisticService
      .increment(ctx, {
        activityId: String(event.activityId),
        indicator: Indicator.MATERIALS_DISTRIBUTED,
        by: event.quantity,
        idempotencyKey: `distribution:${event.eventId}`,
      })
      .catch((err) => options.logger.error({ err, event }, 'distribution not counted'));
  });
}
