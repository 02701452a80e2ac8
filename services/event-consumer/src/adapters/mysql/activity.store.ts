import { pageFromRows, type MysqlPool, type Page, type PageRequest } from '@testbed/service-kit';
import DataLoader from 'dataloader';
import type { ResultSetHeader, RowDataPacket } from 'mysql2/promise';
import {
  activityPosition,
  type ActivityEntry,
  type ActivityFilter,
  type ActivityLine,
  type ActivityReader,
  type ActivityStore,
} from '../../domain/activity.js';
import type { StatsSnapshot } from '../../domain/stats.js';

// The event types the stats count, as statsChangeFor counts them.
const MESSAGE_POSTED = 'testbed.message.posted';
const SIGNED_IN = 'testbed.user.signed_in';

// ON DUPLICATE KEY rather than INSERT IGNORE: only a repeated event id is skipped, while bad
// data (a too-long value, say) still fails loudly instead of becoming a warning.
const INSERT_PREFIX = 'INSERT INTO activity (event_id, type, actor_uid, summary, occurred_at) VALUES ';
const ROW = '(?, ?, ?, ?, ?)';
const ON_DUPLICATE = ' ON DUPLICATE KEY UPDATE event_id = event_id';

/** Rows per INSERT at most; a burst beyond it is split over several statements. */
const MAX_ROWS_PER_INSERT = 500;

interface ActivityRow extends RowDataPacket {
  /** BIGINT: a number while it fits one exactly, a string beyond (supportBigNumbers). */
  id: number | string;
  type: string;
  actor_uid: string | null;
  summary: string;
  occurred_at: Date;
}

const toLine = (row: ActivityRow): ActivityLine => ({
  id: String(row.id),
  type: row.type,
  actorUid: row.actor_uid,
  summary: row.summary,
  occurredAt: row.occurred_at,
});

const rowValues = (entry: ActivityEntry) => [entry.eventId, entry.type, entry.actorUid, entry.summary, entry.occurredAt];

/**
 * The activity feed in MySQL, written by the activity-feed consumer and listed by the read API.
 * Entries recorded at the same time (the consumer handles many events
 * at once) are written by one multi-row INSERT: a group commit. While one INSERT runs, the next
 * entries gather for the following one, so under load a statement carries many rows and when idle
 * an entry waits for nothing. Each event is still recorded once (ON DUPLICATE KEY on its id), and
 * only its own row decides its outcome: when a multi-row INSERT fails (one bad value, or MySQL
 * gone), its rows are tried again one by one, so a data error fails only its event (which the
 * subscriber dead-letters) and the others are recorded.
 */
export class MysqlActivityStore implements ActivityStore, ActivityReader {
  private inFlight: Promise<unknown> | undefined;
  private readonly batches: DataLoader<ActivityEntry, void>;

  constructor(private readonly pool: MysqlPool) {
    this.batches = new DataLoader((entries) => this.insertBatch(entries), {
      cache: false,
      maxBatchSize: MAX_ROWS_PER_INSERT,
      // Dispatch when the previous INSERT is done (or on the next turn when none runs).
      batchScheduleFn: (dispatch) => {
        if (this.inFlight) void this.inFlight.finally(dispatch);
        else setImmediate(dispatch);
      },
    });
  }

  record(entry: ActivityEntry): Promise<void> {
    return this.batches.load(entry);
  }

  async list(request: PageRequest, filter: ActivityFilter = {}): Promise<Page<ActivityLine>> {
    const { after } = request;
    const where: string[] = [];
    const params: unknown[] = [];
    // With an actor, the equality comes first so the (actor_uid, occurred_at, id) index serves the range.
    if (filter.actorUid !== undefined) {
      where.push('actor_uid = ?');
      params.push(filter.actorUid);
    }
    if (after) {
      // The leading `<=` is an index range on (occurred_at, id). CAST: compared with a string
      // parameter, a BIGINT column would be compared as a double and lose precision.
      where.push('occurred_at <= ? AND (occurred_at < ? OR id < CAST(? AS UNSIGNED))');
      params.push(after.createdAt, after.createdAt, after.id);
    }
    const [rows] = await this.pool.query<ActivityRow[]>(
      `SELECT id, type, actor_uid, summary, occurred_at FROM activity ${where.length > 0 ? `WHERE ${where.join(' AND ')}` : ''}
       ORDER BY occurred_at DESC, id DESC LIMIT ?`,
      [...params, request.limit + 1],
    );
    return pageFromRows(rows.map(toLine), request.limit, activityPosition);
  }

  private async insertBatch(entries: readonly ActivityEntry[]): Promise<(undefined | Error)[]> {
    const batch = this.insertRows(entries);
    this.inFlight = batch;
    try {
      return await batch;
    } finally {
      if (this.inFlight === batch) this.inFlight = undefined;
    }
  }

  private async insertRows(entries: readonly ActivityEntry[]): Promise<(undefined | Error)[]> {
    if (entries.length === 1) return [await this.insertOne(entries[0]!).catch(asError)];
    try {
      await this.pool.query<ResultSetHeader>(INSERT_PREFIX + entries.map(() => ROW).join(', ') + ON_DUPLICATE, entries.flatMap(rowValues));
      return entries.map(() => undefined);
    } catch {
      return Promise.all(entries.map((entry) => this.insertOne(entry).catch(asError)));
    }
  }

  private async insertOne(entry: ActivityEntry): Promise<undefined> {
    await this.pool.execute<ResultSetHeader>(INSERT_PREFIX + ROW + ON_DUPLICATE, rowValues(entry));
    return undefined;
  }
}

const asError = (error: unknown): Error => (error instanceof Error ? error : new Error(String(error)));

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
    const [users] = await conn.query<RowDataPacket[]>('SELECT DISTINCT actor_uid FROM activity WHERE type = ? AND actor_uid IS NOT NULL', [SIGNED_IN]);
    const [recent] = await conn.query<RowDataPacket[]>('SELECT event_id FROM activity WHERE type IN (?, ?) AND created_at >= NOW(3) - INTERVAL ? SECOND', [
      MESSAGE_POSTED,
      SIGNED_IN,
      markerWindowS,
    ]);
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
