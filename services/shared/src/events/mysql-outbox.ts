import { fileURLToPath } from 'node:url';
import type { Connection, Pool, PoolConnection, RowDataPacket } from 'mysql2/promise';
import type { Logger } from 'pino';
import { migrate } from '../migrations.js';
import { currentTraceCarrier } from '../telemetry/context.js';
import { parseCloudEvent, type CloudEvent } from './cloud-event.js';
import type { EventOutbox } from './ports.js';

/** The outbox table's migrations; apply them with `migrateOutbox` (scope "outbox"). */
export const outboxMigrationsDir = fileURLToPath(new URL('../../events-migrations', import.meta.url));

export const OUTBOX_MIGRATION_SCOPE = 'outbox';

export function migrateOutbox(mysqlUrl: string, logger: Logger): Promise<number[]> {
  return migrate(mysqlUrl, outboxMigrationsDir, logger, OUTBOX_MIGRATION_SCOPE);
}

/**
 * Inserts events into the outbox. Call it on the connection of your open transaction, next to the
 * domain write; the relay publishes them only once that transaction commits. The active trace
 * context (the request that caused the write) is stored with each row, so the relay's publish and
 * the consumer's handling join that request's trace.
 */
export async function writeToOutbox(connection: Connection | PoolConnection | Pool, events: readonly CloudEvent[]): Promise<void> {
  if (events.length === 0) return;
  const trace = currentTraceCarrier();
  const rows = events.map((event) => {
    const payload = JSON.stringify(event);
    // A malformed event is a producer bug: fail the write now rather than dead-letter it later.
    parseCloudEvent(payload);
    return [event.id, event.type, payload, trace.traceparent ?? event.traceparent ?? null, trace.tracestate ?? null];
  });
  await connection.query('INSERT INTO outbox (event_id, event_type, payload, traceparent, tracestate) VALUES ?', [rows]);
}

export class MysqlOutbox implements EventOutbox {
  constructor(
    private readonly pool: Pool,
    private readonly relay?: { nudge(): void },
  ) {}

  write(events: readonly CloudEvent[], tx?: Connection | PoolConnection): Promise<void> {
    return writeToOutbox(tx ?? this.pool, events);
  }

  nudge(): void {
    this.relay?.nudge();
  }
}

/** How far behind delivery is: see `readOutboxBacklog`. */
export interface OutboxBacklog {
  /** Rows not yet published. */
  readonly pending: number;
  /** Age in seconds of the oldest row not yet published; 0 when none waits. */
  readonly oldestAgeSeconds: number;
}

/**
 * Reads the outbox backlog in one query. The age grows while NATS is down or the stream is missing,
 * whatever a connection check says, so it is the relay's progress signal for metrics and readiness.
 */
export async function readOutboxBacklog(pool: Pool): Promise<OutboxBacklog> {
  const [rows] = await pool.query<RowDataPacket[]>(
    `SELECT COUNT(*) AS pending, COALESCE(MAX(TIMESTAMPDIFF(MICROSECOND, created_at, NOW(3))), 0) AS age_us
     FROM outbox WHERE sent_at IS NULL`,
  );
  return {
    pending: Number(rows[0]?.['pending'] ?? 0),
    oldestAgeSeconds: Math.max(0, Number(rows[0]?.['age_us'] ?? 0) / 1e6),
  };
}
