// The HTTP baseline: a bare node:http server doing what public-api's list and post routes do at
// their core (the same SQL through the kit's mysql2 pool, the same JSON shape) and nothing else:
// no framework, middleware, validation, logging or metrics. The bench divides public-api's
// throughput by this one's.
import { randomBytes, randomUUID } from 'node:crypto';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { RowDataPacket } from 'mysql2/promise';
import { createMysqlPool, withTransaction } from '@testbed/service-kit';

const mysqlUrl = process.env['MYSQL_URL'];
if (!mysqlUrl) throw new Error('MYSQL_URL is not set');
const pool = createMysqlPool(mysqlUrl);

const COLUMNS = 'id, text, author_uid, author_display_name, created_at';

interface Row extends RowDataPacket {
  id: string;
  text: string;
  author_uid: string | null;
  author_display_name: string;
  created_at: Date;
}

const toItem = (row: Row) => ({
  id: row.id,
  text: row.text,
  author: { uid: row.author_uid, displayName: row.author_display_name },
  createdAt: row.created_at.toISOString(),
});

/** Time-ordered like public-api's UUIDv7 ids, so inserts append to the primary key as theirs do. */
const timeOrderedId = (now: number): string => {
  const hex = now.toString(16).padStart(12, '0') + randomBytes(10).toString('hex');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-7${hex.slice(13, 16)}-8${hex.slice(17, 20)}-${hex.slice(20, 32)}`;
};

function send(res: ServerResponse, status: number, body: unknown): void {
  const json = JSON.stringify(body);
  res.writeHead(status, { 'content-type': 'application/json; charset=utf-8', 'content-length': Buffer.byteLength(json) });
  res.end(json);
}

async function list(url: URL, res: ServerResponse): Promise<void> {
  const limit = Number(url.searchParams.get('limit') ?? 20);
  const [rows] = await pool.query<Row[]>(`SELECT ${COLUMNS} FROM messages ORDER BY created_at DESC, id DESC LIMIT ?`, [limit + 1]);
  const items = rows.slice(0, limit);
  const last = items.at(-1);
  const nextCursor = rows.length > limit && last ? Buffer.from(`${last.created_at.getTime()}.${last.id}`, 'utf8').toString('base64url') : null;
  send(res, 200, { items: items.map(toItem), nextCursor });
}

async function readJson(req: IncomingMessage): Promise<{ text: string; author?: string }> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  return JSON.parse(Buffer.concat(chunks).toString('utf8')) as { text: string; author?: string };
}

async function post(req: IncomingMessage, res: ServerResponse): Promise<void> {
  const body = await readJson(req);
  const createdAt = new Date();
  const message = { id: timeOrderedId(createdAt.getTime()), text: body.text, author: { uid: null, displayName: body.author ?? 'Anonymous' } };
  const event = {
    specversion: '1.0',
    id: randomUUID(),
    source: '/public-api',
    type: 'testbed.message.posted',
    subject: message.id,
    time: createdAt.toISOString(),
    datacontenttype: 'application/json',
    data: { messageId: message.id, text: message.text, author: message.author, createdAt: createdAt.toISOString() },
  };
  await withTransaction(pool, async (connection) => {
    await connection.execute(`INSERT INTO messages (${COLUMNS}) VALUES (?, ?, ?, ?, ?)`, [
      message.id,
      message.text,
      null,
      message.author.displayName,
      createdAt,
    ]);
    await connection.query('INSERT INTO outbox (event_id, event_type, payload, traceparent) VALUES ?', [[[event.id, event.type, JSON.stringify(event), null]]]);
  });
  res.setHeader('location', `/api/public/messages/${message.id}`);
  send(res, 201, { ...message, createdAt: createdAt.toISOString() });
}

const server = createServer((req, res) => {
  const url = new URL(req.url ?? '/', 'http://baseline');
  const handle =
    url.pathname === '/healthz'
      ? async () => send(res, 200, { status: 'ok' })
      : url.pathname === '/api/public/messages' && req.method === 'GET'
        ? () => list(url, res)
        : url.pathname === '/api/public/messages' && req.method === 'POST'
          ? () => post(req, res)
          : async () => send(res, 404, { title: 'Not Found' });
  handle().catch(() => send(res, 500, { title: 'Internal Server Error' }));
});
server.keepAliveTimeout = 65_000;
server.listen(Number(process.env['PORT'] ?? 0), '127.0.0.1', () => {
  process.stdout.write(`http baseline listening on ${JSON.stringify(server.address())}\n`);
});
process.once('SIGTERM', () => {
  server.close(() => void pool.end().then(() => process.exit(0)));
  server.closeAllConnections();
});
