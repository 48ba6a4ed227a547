import { Column, Entity, EntityManager, Index, QueryRunner, Table } from 'typeorm';
import { DurableEvent, DurableEventMap, DurableTopic, isDurableTopic } from './durable-log';
import { TenantOwned } from './entity';
import { tenantOwnedColumns, tenantOwnedIndices } from './migrations';
import { ScopedData, TenantTarget } from './scoped-data';

/**
 * The transactional outbox: an event that changes data elsewhere is a row written in the same
 * transaction as the change that causes it, in the writer's own database. Both commit or
 * neither does, so an acknowledged change always has its event, whatever fails after the
 * commit (the process, Redis, the consumer). OutboxRelay (outbox-relay.ts) appends unsent rows
 * to the durable log and marks them sent; sent rows are kept OUTBOX_RETENTION_DAYS so an
 * operator can see what went out (and send it again: consumers are idempotent).
 *
 * A row belongs to the tenant the event is about (scoping: every entity is tenant-owned);
 * only the kernel reads the table.
 */
@Entity('outbox_events')
export class OutboxEvent extends TenantOwned {
  @Column({ type: 'varchar', length: 64 })
  topic: string;

  @Index('UQ_outbox_events_event', { unique: true })
  @Column({ name: 'event_id', type: 'varchar', length: 64 })
  eventId: string;

  /** The event as JSON. */
  @Column({ type: 'text' })
  payload: string;

  /** When the durable log took it; null until then (the relay's work list: indexed). */
  @Index('IDX_outbox_events_sent_at')
  @Column({ name: 'sent_at', type: 'datetime', nullable: true })
  sentAt: Date | null;
}

/** Sent rows are kept this long (then deleted by the relay). */
export const OUTBOX_RETENTION_DAYS = 7;

/** The outbox_events table, for the migration of each service that writes durable events. */
export async function createOutboxTable(queryRunner: QueryRunner): Promise<void> {
  await queryRunner.createTable(
    new Table({
      name: 'outbox_events',
      columns: [
        ...tenantOwnedColumns(),
        { name: 'topic', type: 'varchar', length: '64' },
        { name: 'event_id', type: 'varchar', length: '64' },
        { name: 'payload', type: 'text' },
        { name: 'sent_at', type: 'datetime', isNullable: true },
      ],
      indices: [
        ...tenantOwnedIndices('outbox_events'),
        { name: 'UQ_outbox_events_event', columnNames: ['event_id'], isUnique: true },
        { name: 'IDX_outbox_events_sent_at', columnNames: ['sent_at'] },
      ],
    }),
  );
}

/** Set on a transaction's query runner when it wrote an outbox row: its commit wakes the relay (outbox-relay.ts). */
export const OUTBOX_WRITTEN = 'cascadeOutboxWritten';

/**
 * Writes a durable event in `tx`, the transaction of the change that causes it. Refuses to run
 * outside a transaction (as the audit trail does), so an event can never exist apart from its
 * change. After the commit the relay is woken at once; the caller does not wait for delivery.
 */
export async function enqueueEvent<K extends DurableTopic>(tx: ScopedData, tenant: TenantTarget, topic: K, event: DurableEventMap[K] & DurableEvent): Promise<void> {
  await insertOutboxEvent(tx.manager, tenant, topic, event);
}

/** enqueueEvent with the transaction's manager. */
export async function insertOutboxEvent<K extends DurableTopic>(
  manager: EntityManager,
  tenant: TenantTarget,
  topic: K,
  event: DurableEventMap[K] & DurableEvent,
): Promise<void> {
  const runner = manager.queryRunner;
  if (!runner?.isTransactionActive) throw new Error('An outbox event is written only inside the transaction of the change that causes it');
  if (!isDurableTopic(topic)) throw new Error(`${topic} is not a durable topic`);
  if (!event.eventId || event.eventId.length > 64) throw new Error('A durable event needs an eventId of at most 64 characters');
  await manager.insert(OutboxEvent, {
    tenantId: tenant.tenantId,
    tenantPath: tenant.tenantPath,
    topic,
    eventId: event.eventId,
    payload: JSON.stringify(event),
    sentAt: null,
  });
  runner.data = { ...runner.data, [OUTBOX_WRITTEN]: true };
}
