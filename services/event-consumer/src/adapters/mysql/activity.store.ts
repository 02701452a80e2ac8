import type { MysqlPool } from '@testbed/service-kit';
import type { ResultSetHeader } from 'mysql2/promise';
import type { ActivityEntry, ActivityStore } from '../../domain/activity.js';

export class MysqlActivityStore implements ActivityStore {
  constructor(private readonly pool: MysqlPool) {}

  async record(entry: ActivityEntry): Promise<boolean> {
    // ON DUPLICATE KEY rather than INSERT IGNORE: only a repeated event id is skipped, while bad
    // data (a too-long value, say) still fails loudly instead of becoming a warning.
    const [result] = await this.pool.execute<ResultSetHeader>(
      `INSERT INTO activity (event_id, type, actor_uid, summary, occurred_at) VALUES (?, ?, ?, ?, ?)
       ON DUPLICATE KEY UPDATE event_id = event_id`,
      [entry.eventId, entry.type, entry.actorUid, entry.summary, entry.occurredAt],
    );
    return result.affectedRows === 1;
  }
}
