import { actorOf, AuditRecord, badInput, conflict, isUniqueViolation, observeGroupCommitBatch, recordAudit } from '@cascade/kernel';
import { CampaignsContext } from '../context';
import { Campaign, MAX_STATISTIC_VALUE, Statistic, StatisticIncrement } from '../entities';

/** What applies one change to a statistic in its own transaction (statistic-service's applyChange). */
export type ApplyChange = (
  ctx: CampaignsContext,
  statistic: Statistic,
  campaign: Campaign,
  change: (tx: import('@cascade/kernel').ScopedData, locked: Statistic) => Promise<{ delta: number }>,
) => Promise<Statistic>;

/** An idempotency key names one increment: the same key with other arguments is refused. */
export const keyUsedElsewhere = () => conflict('This idempotencyKey was already used for another increment (activity, indicator or by differ)');

interface Pending {
  ctx: CampaignsContext;
  by: number;
  key: string | null;
  resolve(value: Statistic): void;
  reject(error: unknown): void;
}

/**
 * Group commit for a hot counter. A signature drive sends thousands of increments to one row;
 * one transaction each would queue them on that row's lock and on the log flush. Increments
 * that arrive while the row's previous transaction runs wait and are applied together in the
 * next one: one lock, one roll-up update, one commit — and each caller still gets the value
 * right after its own increment, and its idempotency key recorded with that value.
 * The bound (MAX_STATISTIC_VALUE) is checked here, on the locked row, item by item: an
 * increment that would pass it is refused alone and the rest of the batch still counts.
 * Each increment applied leaves its own audit entry (its caller, the value before and after
 * it), written with one INSERT in the batch's transaction.
 */
export class IncrementBatcher {
  private readonly queues = new Map<number, { items: Pending[]; running: boolean }>();

  constructor(private readonly apply: ApplyChange) {}

  add(ctx: CampaignsContext, statistic: Statistic, campaign: Campaign, by: number, key: string | null): Promise<Statistic> {
    return new Promise((resolve, reject) => {
      let queue = this.queues.get(statistic.id);
      if (!queue) {
        queue = { items: [], running: false };
        this.queues.set(statistic.id, queue);
      }
      queue.items.push({ ctx, by, key, resolve, reject });
      if (!queue.running) void this.drain(statistic, campaign);
    });
  }

  private async drain(statistic: Statistic, campaign: Campaign) {
    const queue = this.queues.get(statistic.id)!;
    queue.running = true;
    while (queue.items.length) {
      const batch = queue.items.splice(0, 500);
      observeGroupCommitBatch('campaigns', batch.length);
      try {
        await this.applyBatch(statistic, campaign, batch);
      } catch (err) {
        if (!isUniqueViolation(err)) {
          batch.forEach((item) => item.reject(err));
          continue;
        }
        // a key was claimed elsewhere meanwhile: apply one by one, so only that one replays
        for (const item of batch) await this.applyBatch(statistic, campaign, [item]).catch(item.reject);
      }
    }
    queue.running = false;
    this.queues.delete(statistic.id);
  }

  private async applyBatch(statistic: Statistic, campaign: Campaign, batch: Pending[]) {
    const outcomes = new Map<Pending, { value: number } | { error: Error }>();
    const firstWithKey = new Map<string, Pending>();
    await this.apply(batch[0].ctx, statistic, campaign, async (tx, locked) => {
      // a transaction retried after a deadlock runs this again from the start
      outcomes.clear();
      firstWithKey.clear();
      let value = locked.value;
      const entries: AuditRecord[] = [];
      for (const item of batch) {
        const same = item.key ? firstWithKey.get(item.key) : undefined;
        if (same) {
          // the same key twice in one batch adds once; with another amount it is another increment
          outcomes.set(item, same.by === item.by ? outcomes.get(same)! : { error: keyUsedElsewhere() });
          continue;
        }
        if (value + item.by > MAX_STATISTIC_VALUE) {
          outcomes.set(item, { error: badInput(`A statistic holds at most ${MAX_STATISTIC_VALUE}; it is ${value}, so by must be at most ${MAX_STATISTIC_VALUE - value}`, 'by') });
          continue;
        }
        entries.push({
          tenant: locked,
          action: 'INCREMENT',
          entityType: 'Statistic',
          entityId: statistic.id,
          changes: { value: [value, value + item.by] },
          // each increment is its own caller's act, whoever's request runs the batch
          actorId: actorOf(item.ctx.claims),
          clientAddress: item.ctx.claims.clientAddress ?? null,
        });
        value += item.by;
        outcomes.set(item, { value });
        if (item.key) {
          firstWithKey.set(item.key, item);
          await tx.repo(StatisticIncrement).insert({ idempotencyKey: item.key, statisticId: statistic.id, by: item.by, resultValue: value });
        }
      }
      // one entry per increment applied (who added what), all in one INSERT, in the batch's transaction
      await recordAudit(tx, batch[0].ctx.claims, entries);
      return { delta: value - locked.value };
    });
    for (const item of batch) {
      const outcome = outcomes.get(item)!;
      if ('error' in outcome) item.reject(outcome.error);
      else item.resolve(Object.assign(new Statistic(), statistic, { value: outcome.value }));
    }
  }
}
