import { pageFromRows, type Page, type PageRequest, clientDataError, withTransaction, type MysqlPool } from '@testbed/service-kit';
import type { CloudEvent, EventOutbox } from '@testbed/service-kit/events';
import type { RowDataPacket } from 'mysql2/promise';
import { messagePosition, type Message } from '../../domain/message.js';
import type { MessageStore } from '../../domain/message.store.js';

interface MessageRow extends RowDataPacket {
  id: string;
  text: string;
  author_uid: string | null;
  author_display_name: string;
  created_at: Date;
}

const COLUMNS = 'id, text, author_uid, author_display_name, created_at';

// Columns holding what the client typed: a value the database refuses there is the client's to fix
// (422). The id, uid and time are ours: a refusal there is our bug (500), never a retry.
const CLIENT_COLUMNS = { text: 'text', author_display_name: 'author.displayName' } as const;

const toMessage = (row: MessageRow): Message => ({
  id: row.id,
  text: row.text,
  author: { uid: row.author_uid, displayName: row.author_display_name },
  createdAt: row.created_at,
});

/** Messages in MySQL; each message's events go into the outbox table in the same transaction. */
export class MysqlMessageStore implements MessageStore {
  constructor(
    private readonly pool: MysqlPool,
    private readonly outbox: EventOutbox,
  ) {}

  async insert(message: Message, events: readonly CloudEvent[]): Promise<void> {
    try {
      await withTransaction(this.pool, async (connection) => {
        await connection.execute(`INSERT INTO messages (${COLUMNS}) VALUES (?, ?, ?, ?, ?)`, [
          message.id,
          message.text,
          message.author.uid,
          message.author.displayName,
          message.createdAt,
        ]);
        await this.outbox.write(events, connection);
      });
    } catch (error) {
      throw clientDataError(error, CLIENT_COLUMNS);
    }
    // After the commit, so the relay cannot look for rows this transaction has not made visible yet.
    this.outbox.nudge();
  }

  async find(id: string): Promise<Message | undefined> {
    const [rows] = await this.pool.execute<MessageRow[]>(`SELECT ${COLUMNS} FROM messages WHERE id = ?`, [id]);
    return rows[0] ? toMessage(rows[0]) : undefined;
  }

  async list(request: PageRequest): Promise<Page<Message>> {
    const { after } = request;
    // "Older than (createdAt, id)" spelled so the leading `<=` is an index range on (created_at, id);
    // MariaDB does not use an index for the row comparison `(created_at, id) < (?, ?)`.
    const [rows] = after
      ? await this.pool.query<MessageRow[]>(
          `SELECT ${COLUMNS} FROM messages WHERE created_at <= ? AND (created_at < ? OR id < ?)
           ORDER BY created_at DESC, id DESC LIMIT ?`,
          [after.createdAt, after.createdAt, after.id, request.limit + 1],
        )
      : await this.pool.query<MessageRow[]>(`SELECT ${COLUMNS} FROM messages ORDER BY created_at DESC, id DESC LIMIT ?`, [request.limit + 1]);
    return pageFromRows(rows.map(toMessage), request.limit, messagePosition);
  }
}
