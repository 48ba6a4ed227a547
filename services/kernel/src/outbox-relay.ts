import { DataSource, EntityManager, In, IsNull, LessThan } from 'typeorm';
import { DURABLE_TOPICS, DurableLog, DurableTopic } from './durable-log';
import { OutboxLag, registerOutboxLag } from './event-lag';
import { Logger } from './logger';
import { OUTBOX_RETENTION_DAYS, OUTBOX_WRITTEN, OutboxEvent } from './outbox';
import { writeSerializer } from './scoped-data';

export interface OutboxRelayOptions {
  service: string;
  dataSource: DataSource;
  log: DurableLog;
  logger?: Logger;
  /** Rows per round. */
  batchSize?: number;
  /** How often the outbox is looked at without a wake-up (rows of a crashed replica, a failed round). */
  pollMs?: number;
}

interface Row {
  id: number;
  topic: DurableTopic;
  eventId: string;
  payload: string;
}

/**
 * Moves a service's outbox rows to the durable log: reads unsent rows, appends them, marks them
 * sent. A crash (or a failure) between the append and the mark leaves them unsent, so they are
 * appended again: delivery is at least once, and consumers apply each eventId once.
 *
 * Woken right after every commit that wrote an outbox row (a TypeORM subscriber on the
 * DataSource); polls every `pollMs` for anything else. On MySQL/MariaDB the rows of one round
 * are locked FOR UPDATE SKIP LOCKED in a READ COMMITTED transaction (no gap locks: writers keep
 * inserting), so several replicas relay side by side without sending a row twice; the lock is
 * held while Redis answers XADD (bounded by its command timeout). SQLite has one writer: rows
 * are read and marked in its write turn, the append happens between the two.
 */
export class OutboxRelay {
  private readonly batchSize: number;
  private readonly pollMs: number;
  private readonly mysql: boolean;
  private readonly serialize: ReturnType<typeof writeSerializer>;
  private readonly topics = Object.keys(DURABLE_TOPICS) as DurableTopic[];
  private closed = false;
  private woken = false;
  private wake: (() => void) | null = null;
  private running: Promise<void> = Promise.resolve();
  private failures = 0;
  private nextHousekeeping = 0;
  private unregister: () => void = () => undefined;
  private readonly subscriber = {
    afterTransactionCommit: (event: { queryRunner: { data: Record<string, unknown>; isTransactionActive: boolean } }) => {
      if (!event.queryRunner.data?.[OUTBOX_WRITTEN] || event.queryRunner.isTransactionActive) return;
      event.queryRunner.data[OUTBOX_WRITTEN] = false;
      this.poke();
    },
    afterTransactionRollback: (event: { queryRunner: { data: Record<string, unknown>; isTransactionActive: boolean } }) => {
      if (!event.queryRunner.isTransactionActive && event.queryRunner.data) event.queryRunner.data[OUTBOX_WRITTEN] = false;
    },
  };

  constructor(private readonly options: OutboxRelayOptions) {
    this.batchSize = options.batchSize ?? 100;
    this.pollMs = options.pollMs ?? 1000;
    this.mysql = options.dataSource.options.type === 'mysql';
    this.serialize = writeSerializer(options.dataSource);
  }

  /** Starts relaying (and waking on commits). */
  start(): this {
    this.options.dataSource.subscribers.push(this.subscriber as never);
    this.unregister = registerOutboxLag(this, () => this.backlog());
    this.running = this.loop();
    return this;
  }

  /** Relay soon (a commit wrote an outbox row). */
  poke(): void {
    this.woken = true;
    this.wake?.();
  }

  private async loop(): Promise<void> {
    while (!this.closed) {
      this.woken = false;
      let moved = 0;
      try {
        moved = await this.relayOnce();
        if (this.failures > 0) this.options.logger?.info({ service: this.options.service }, 'outbox relay works again');
        this.failures = 0;
        await this.housekeeping();
      } catch (err) {
        this.failures++;
        // one warning per outage, then quieter: the lag (eventLag) shows how much waits
        const level = this.failures === 1 ? 'warn' : 'debug';
        this.options.logger?.[level]({ err: (err as Error).message, service: this.options.service }, 'outbox relay failed (rows kept, retrying)');
      }
      if (this.closed) break;
      if (moved === this.batchSize && this.failures === 0) continue;
      // after a failure, back off (1 s → 30 s) unless a new commit wakes it sooner
      const pause = this.failures ? Math.min(30_000, this.pollMs * 2 ** Math.min(this.failures - 1, 5)) : this.pollMs;
      if (!this.woken || this.failures) await this.sleep(pause);
    }
  }

  private sleep(ms: number): Promise<void> {
    return new Promise((resolve) => {
      const timer = setTimeout(done, ms);
      function done() {
        clearTimeout(timer);
        resolve();
      }
      this.wake = () => {
        this.wake = null;
        done();
      };
    });
  }

  /** One round: up to batchSize unsent rows appended and marked sent. Answers how many. */
  async relayOnce(): Promise<number> {
    if (this.mysql) {
      return this.options.dataSource.transaction('READ COMMITTED', async (manager) => {
        const rows = await this.unsent(manager, ' FOR UPDATE SKIP LOCKED');
        if (rows.length === 0) return 0;
        await this.append(rows);
        await this.markSent(manager, rows);
        return rows.length;
      });
    }
    const manager = this.options.dataSource.manager;
    // in the write turn: never a row of a transaction that has not committed (one connection)
    const rows = await this.serialize(() => this.unsent(manager, ''));
    if (rows.length === 0) return 0;
    await this.append(rows);
    await this.serialize(() => this.markSent(manager, rows));
    return rows.length;
  }

  private async unsent(manager: EntityManager, lock: string): Promise<Row[]> {
    const placeholders = this.topics.map(() => '?').join(', ');
    const rows: { id: number; topic: string; event_id: string; payload: string }[] = await manager.query(
      `SELECT id, topic, event_id, payload FROM outbox_events WHERE sent_at IS NULL AND topic IN (${placeholders}) ORDER BY id LIMIT ${this.batchSize}${lock}`,
      this.topics,
    );
    return rows.map((r) => ({ id: Number(r.id), topic: r.topic as DurableTopic, eventId: r.event_id, payload: r.payload }));
  }

  private async append(rows: Row[]): Promise<void> {
    for (const topic of new Set(rows.map((r) => r.topic))) {
      const events = rows.filter((r) => r.topic === topic).map((r) => ({ eventId: r.eventId, event: JSON.parse(r.payload) }));
      await this.options.log.append(topic, events);
    }
  }

  private async markSent(manager: EntityManager, rows: Row[]): Promise<void> {
    await manager.update(OutboxEvent, { id: In(rows.map((r) => r.id)) }, { sentAt: new Date() });
  }

  /** Once a minute: sent rows past retention deleted, streams trimmed of what every group acknowledged. */
  private async housekeeping(): Promise<void> {
    if (Date.now() < this.nextHousekeeping) return;
    this.nextHousekeeping = Date.now() + 60_000;
    const before = new Date(Date.now() - OUTBOX_RETENTION_DAYS * 24 * 3600 * 1000);
    const manager = this.options.dataSource.manager;
    await this.serialize(() => manager.delete(OutboxEvent, { sentAt: LessThan(before) }));
    for (const topic of this.topics) await this.options.log.trim(topic);
  }

  /** Rows not sent yet, and the age of the oldest. */
  async backlog(): Promise<OutboxLag> {
    const manager = this.options.dataSource.manager;
    const unsent = await manager.count(OutboxEvent, { where: { sentAt: IsNull() } });
    const oldest = unsent ? await manager.findOne(OutboxEvent, { where: { sentAt: IsNull() }, order: { id: 'ASC' } }) : null;
    const oldestSeconds = oldest ? Math.max(0, Math.round((Date.now() - oldest.createdAt.getTime()) / 1000)) : 0;
    return { service: this.options.service, unsent, oldestSeconds };
  }

  /** Stops after the round in progress. */
  async close(): Promise<void> {
    this.closed = true;
    this.wake?.();
    await this.running;
    this.unregister();
    const subscribers = this.options.dataSource.subscribers as unknown[];
    const index = subscribers.indexOf(this.subscriber);
    if (index >= 0) subscribers.splice(index, 1);
  }
}
