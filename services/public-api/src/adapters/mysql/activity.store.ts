import type { MysqlPool } from '@testbed/service-kit';
import type { RowDataPacket } from 'mysql2/promise';
import { activityPosition, type ActivityEntry, type ActivityFilter, type ActivityStore } from '../../domain/activity.js';
import { pageFromRows, type Page, type PageRequest } from '../../domain/page.js';

interface ActivityRow extends RowDataPacket {
  /** BIGINT: a number while it fits one exactly, a string beyond (supportBigNumbers). */
  id: number | string;
  type: string;
  actor_uid: string | null;
  summary: string;
  occurred_at: Date;
}

const COLUMNS = 'id, type, actor_uid, summary, occurred_at';

const toEntry = (row: ActivityRow): ActivityEntry => ({
  id: String(row.id),
  type: row.type,
  actorUid: row.actor_uid,
  summary: row.summary,
  occurredAt: row.occurred_at,
});

/** Reads the `activity` table that event-consumer's activity-feed consumer writes. */
export class MysqlActivityStore implements ActivityStore {
  constructor(private readonly pool: MysqlPool) {}

  async list(request: PageRequest, filter: ActivityFilter = {}): Promise<Page<ActivityEntry>> {
    try {
      return await this.query(request, filter);
    } catch (error) {
      // event-consumer creates the table; until its first start there is simply nothing to show.
      if ((error as { code?: unknown }).code === 'ER_NO_SUCH_TABLE') return { items: [], next: null };
      throw error;
    }
  }

  private async query(request: PageRequest, filter: ActivityFilter): Promise<Page<ActivityEntry>> {
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
      `SELECT ${COLUMNS} FROM activity ${where.length > 0 ? `WHERE ${where.join(' AND ')}` : ''}
       ORDER BY occurred_at DESC, id DESC LIMIT ?`,
      [...params, request.limit + 1],
    );
    return pageFromRows(rows.map(toEntry), request.limit, activityPosition);
  }
}
