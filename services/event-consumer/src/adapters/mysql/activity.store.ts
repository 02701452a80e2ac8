import type { MysqlPool } from '@testbed/service-kit';
import type { ResultSetHeader, RowDataPacket } from 'mysql2/promise';
import type { ActivityEntry, ActivityStore } from '../../domain/activity.js';
import type { StatsSnapshot } from '../../domain/stats.js';

// The event types the stats count, as statsChangeFor counts them.
const MESSAGE_POSTED = 'testbed.message.posted';
const SIGNED_IN = 'testbed.user.signed_in';

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

/**
 * Recounts the stats from the activity table, in one consistent snapshot: messages and sign-ins
 * are rows of their type, users the distinct uids that signed in, `updatedAt` the newest counted
 * event's time. `recentEventIds` are the counted events applied within `markerWindowS`: the ones
 * that could still be redelivered or replayed, so the rebuild marks them applied.
 */
export async function statsSnapshotFromActivity(pool: MysqlPool, markerWindowS: number): Promise<StatsSnapshot> {
  const conn = await pool.getConnection();
  try {
    await conn.query('START TRANSACTION WITH CONSISTENT SNAPSHOT, READ ONLY');
    const [[totals]] = await conn.query<RowDataPacket[]>(
      `SELECT SUM(type = ?) AS messages, SUM(type = ?) AS sign_ins, MAX(occurred_at) AS newest
       FROM activity WHERE type IN (?, ?)`,
      [MESSAGE_POSTED, SIGNED_IN, MESSAGE_POSTED, SIGNED_IN],
    );
    const [users] = await conn.query<RowDataPacket[]>(
      'SELECT DISTINCT actor_uid FROM activity WHERE type = ? AND actor_uid IS NOT NULL',
      [SIGNED_IN],
    );
    const [recent] = await conn.query<RowDataPacket[]>(
      'SELECT event_id FROM activity WHERE type IN (?, ?) AND created_at >= NOW(3) - INTERVAL ? SECOND',
      [MESSAGE_POSTED, SIGNED_IN, markerWindowS],
    );
    await conn.commit();
    const newest = totals?.['newest'] as Date | null | undefined;
    return {
      messages: Number(totals?.['messages'] ?? 0),
      signIns: Number(totals?.['sign_ins'] ?? 0),
      users: users.map((row) => String(row['actor_uid'])),
      updatedAt: newest ? newest.toISOString() : null,
      recentEventIds: recent.map((row) => String(row['event_id'])),
    };
  } finally {
    conn.release();
  }
}
