import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { jetstream } from '@nats-io/jetstream';
import { readModelsApiDocument } from '@testbed/contracts/http';
import { asOpenApiDocument, loadConfig } from '@testbed/service-kit';
import { FileEventOutbox, createEvent, subjectForType, type CloudEvent } from '@testbed/service-kit/events';
import { OpenApiResponseChecker, waitFor } from '@testbed/service-kit/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { configSchema } from '../src/config.js';
import { startService, type RunningEventConsumer } from '../src/service.js';
import { consumerConfigFor } from './support/consumer-config.js';
import { streamFixture } from './support/stream-fixture.js';
import { testLogger } from './support/test-logger.js';

// event-consumer's read API (/read-models on its HTTP port), which public-api reads the activity
// feed and the stats through: in its in-memory mode (fed by an event log file, as in `pnpm dev`)
// and against the real MariaDB, Redis and NATS.

const checker = new OpenApiResponseChecker(asOpenApiDocument(readModelsApiDocument));

const signedIn = (uid: string, time: string): CloudEvent => ({
  ...createEvent({ type: 'testbed.user.signed_in', source: '/auth-service', subject: uid, data: { uid } }),
  time,
});
const posted = (uid: string | null, text: string): CloudEvent =>
  createEvent({
    type: 'testbed.message.posted',
    source: '/public-api',
    data: { messageId: 'm', text, author: { uid, displayName: 'Ann' }, createdAt: new Date().toISOString() },
  });

async function expectDocumented(path: string, response: Response): Promise<unknown> {
  const { body, problems } = await checker.check(path, 'get', response);
  expect(problems).toEqual([]);
  return body;
}

describe('in memory, following EVENT_LOG_FILE', () => {
  let dir: string;
  let log: FileEventOutbox;
  let service: RunningEventConsumer;

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'read-api-'));
    const file = join(dir, 'events.jsonl');
    writeFileSync(file, '');
    log = new FileEventOutbox(file);
    service = await startService(loadConfig(configSchema, { PORT: '0', HOST: '127.0.0.1', EVENT_LOG_FILE: file }), { logger: testLogger });
  });

  afterAll(async () => {
    await service?.stop();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  const get = (query: string) => fetch(`${service.url}/read-models/activity${query}`);

  it('when events are appended to the log, then the feed and stats show them, paged newest first and by actor', async () => {
    await log.write([signedIn('ann', '2026-03-01T10:00:00.000Z'), signedIn('bob', '2026-03-01T11:00:00.000Z'), posted('ann', 'hello')]);
    await waitFor(async () => ((await (await get('')).json()) as { items: unknown[] }).items.length === 3, { what: 'three lines in the feed' });

    const first = (await expectDocumented('/activity', await get('?limit=2'))) as { items: { actorUid: string }[]; nextCursor: string };
    expect(first.items).toHaveLength(2);
    expect(first.nextCursor).toEqual(expect.any(String));
    const rest = (await expectDocumented('/activity', await get(`?limit=2&cursor=${first.nextCursor}`))) as { items: unknown[]; nextCursor: unknown };
    expect(rest).toMatchObject({ items: [expect.anything()], nextCursor: null });

    const anns = (await expectDocumented('/activity', await get('?actorUid=ann'))) as { items: { actorUid: string }[] };
    expect(anns.items.map((item) => item.actorUid)).toEqual(['ann', 'ann']);

    const stats = await expectDocumented('/stats', await fetch(`${service.url}/read-models/stats`));
    expect(stats).toMatchObject({ messages: 1, signIns: 2, users: 2 });
  });

  it.each([
    ['a cursor it did not issue', '?cursor=not-a-cursor', 'query.cursor'],
    ['limit 0', '?limit=0', 'query.limit'],
    ['limit 101', '?limit=101', 'query.limit'],
    ['a limit that is not a number', '?limit=ten', 'query.limit'],
    ['an empty actorUid', '?actorUid=', 'query.actorUid'],
    ['an unknown parameter', '?page=2', 'query'],
  ])('when the query has %s, then it is a 400 problem+json naming the field', async (_, query, path) => {
    const response = await get(query);
    expect(response.status).toBe(400);
    expect(response.headers.get('content-type')).toMatch(/^application\/problem\+json/);
    const body = (await expectDocumented('/activity', response)) as { errors: { path: string }[] };
    expect(body.errors.map((error) => error.path)).toContain(path);
  });

  it('when its OpenAPI document is asked for, then it is the contract, and it has no other routes', async () => {
    expect(await (await fetch(`${service.url}/read-models/openapi.json`)).json()).toEqual(JSON.parse(JSON.stringify(readModelsApiDocument)));
    expect((await fetch(`${service.url}/read-models/nothing`)).status).toBe(404);
  });
});

describe('with MySQL, Redis and NATS', () => {
  const fx = streamFixture('read_api');
  let service: RunningEventConsumer;

  beforeAll(async () => {
    service = await startService(await consumerConfigFor(fx), { logger: testLogger });
  });

  afterAll(async () => {
    await service?.stop();
  });

  it('when events are published to the stream, then the read API serves the feed from MySQL and the stats from Redis', async () => {
    const events = [signedIn('carol', '2026-04-01T10:00:00.000Z'), posted('carol', 'from the stream'), posted(null, 'anonymous')];
    const js = jetstream(fx.nc);
    for (const event of events) await js.publish(subjectForType(event.type, fx.topology.subjectPrefix), JSON.stringify(event), { msgID: event.id });
    await waitFor(async () => (await fx.activityRows()) === 3 && (await fx.settled()), { what: 'every event applied' });

    const page = (await expectDocumented('/activity', await fetch(`${service.url}/read-models/activity?actorUid=carol&limit=1`))) as {
      items: { actorUid: string; summary: string }[];
      nextCursor: string;
    };
    expect(page.items).toMatchObject([{ actorUid: 'carol', summary: 'Ann posted "from the stream"' }]);
    const next = (await expectDocumented('/activity', await fetch(`${service.url}/read-models/activity?actorUid=carol&cursor=${page.nextCursor}`))) as {
      items: { type: string }[];
    };
    expect(next.items.map((item) => item.type)).toEqual(['testbed.user.signed_in']);
    expect(await expectDocumented('/stats', await fetch(`${service.url}/read-models/stats`))).toMatchObject({ messages: 2, signIns: 1, users: 1 });
  });
});
