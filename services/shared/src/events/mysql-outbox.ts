import { fileURLToPath } from 'node:url';
import type { Connection, Pool, PoolConnection } from 'mysql2/promise';
import type { Logger } from 'pino';
import { migrate } from '../migrations.js';
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
 * domain write; the relay publishes them only once that transaction commits.
 */
export async function writeToOutbox(
  connection: Connection | PoolConnection | Pool,
  events: readonly CloudEvent[],
): Promise<void> {
  if (events.length === 0) return;
  const rows = events.map((event) => {
    const payload = JSON.stringify(event);
    // A malformed event is a producer bug: fail the write now rather than dead-letter it later.
    parseCloudEvent(payload);
    return [event.id, event.type, payload, event.traceparent ?? null];
  });
  await connection.query('INSERT INTO outbox (event_id, event_type, payload, traceparent) VALUES ?', [rows]);
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
