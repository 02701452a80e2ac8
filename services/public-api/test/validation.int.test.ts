import { createTestDatabase, type TestDatabase } from '@testbed/service-kit/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RunningPublicApi } from '../src/service.js';
import { TEST_REDIS_URL, postJson, startTestApi, uniqueClientIp } from './helpers.js';

let db: TestDatabase;
let api: RunningPublicApi;

beforeAll(async () => {
  db = await createTestDatabase('public_api_validation');
  api = await startTestApi({ MYSQL_URL: db.url, REDIS_URL: TEST_REDIS_URL });
});

afterAll(async () => {
  await api?.stop();
  await db?.drop();
});

async function expectProblem(response: Response, status: number): Promise<void> {
  expect(response.status).toBe(status);
  expect(response.headers.get('content-type')).toMatch(/^application\/problem\+json/);
  const problem = (await response.json()) as { status: number; type: string; detail: string };
  expect(problem.status).toBe(status);
  expect(problem.type).toMatch(/^urn:testbed:problem:/);
  expect(JSON.stringify(problem)).not.toMatch(/\bat .+\.ts:\d+/);
}

describe('POST /api/public/messages with a malformed body', () => {
  const badBodies: [string, unknown][] = [
    ['text is a number', { text: 42 }],
    ['text is null', { text: null }],
    ['text is missing', { author: 'ann' }],
    ['text is empty', { text: '' }],
    ['text is only whitespace', { text: ' \n\t ' }],
    ['text has 281 characters', { text: 'x'.repeat(281) }],
    ['text has 281 characters around padding', { text: ` ${'y'.repeat(281)} ` }],
    ['author has 41 characters', { text: 'hi', author: 'a'.repeat(41) }],
    ['author is whitespace', { text: 'hi', author: '   ' }],
    ['author is an object', { text: 'hi', author: { name: 'ann' } }],
    ['there is an extra field', { text: 'hi', uid: 'someone-else' }],
    ['the body is an array', [{ text: 'hi' }]],
    ['the body is a JSON string', '"hi"'],
    ['the body is JSON null', 'null'],
    ['the body is not JSON', '{"text": "hi"'],
    ['text holds a lone surrogate (a JSON escape no UTF-8 store can keep)', '{"text": "hi \\ud83d"}'],
    ['text holds NUL', { text: 'a\u0000b' }],
    ['author holds a terminal escape', { text: 'hi', author: 'ann\u001b[2J' }],
  ];

  it.each(badBodies)('when %s, then the answer is a 400 problem', async (_, body) => {
    await expectProblem(await postJson(api, '/api/public/messages', body, { ip: uniqueClientIp() }), 400);
  });

  it('when the body is not valid UTF-8, then the answer is a 400 problem and nothing is stored', async () => {
    const before = (await (await fetch(`${api.url}/api/public/messages?limit=100`)).json()) as { items: unknown[] };
    const body = Buffer.concat([Buffer.from('{"text":"caf'), Buffer.from([0xe9]), Buffer.from('"}')]);
    const response = await fetch(`${api.url}/api/public/messages`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-forwarded-for': uniqueClientIp() },
      body,
    });
    await expectProblem(response, 400);
    const after = (await (await fetch(`${api.url}/api/public/messages?limit=100`)).json()) as { items: unknown[] };
    expect(after.items).toHaveLength(before.items.length);
  });

  it('when there is no body at all, then the answer is a 400 problem', async () => {
    const response = await fetch(`${api.url}/api/public/messages`, {
      method: 'POST',
      headers: { 'x-forwarded-for': uniqueClientIp() },
    });
    await expectProblem(response, 400);
  });

  it('when the body is text/plain, then the answer is a 415 problem', async () => {
    const response = await fetch(`${api.url}/api/public/messages`, {
      method: 'POST',
      headers: { 'content-type': 'text/plain', 'x-forwarded-for': uniqueClientIp() },
      body: JSON.stringify({ text: 'hi' }),
    });
    await expectProblem(response, 415);
  });

  it('when the body is larger than 16 KiB, then the answer is a 413 problem', async () => {
    const body = JSON.stringify({ text: 'hi', padding: 'p'.repeat(17 * 1024) });
    await expectProblem(await postJson(api, '/api/public/messages', body, { ip: uniqueClientIp() }), 413);
  });

  it('when text and author are padded but fit after trimming, then the trimmed message is stored', async () => {
    const response = await postJson(api, '/api/public/messages', { text: `  ${'z'.repeat(280)}  `, author: `  ${'b'.repeat(40)} ` }, { ip: uniqueClientIp() });
    expect(response.status).toBe(201);
    const message = (await response.json()) as { text: string; author: { displayName: string } };
    expect(message.text).toBe('z'.repeat(280));
    expect(message.author.displayName).toBe('b'.repeat(40));
  });
});

describe('POST /api/public/messages lengths in code points', () => {
  // 🎉 is one code point but two UTF-16 code units: limits count it once, as the SPA and MySQL do.
  it('when text and author are astral characters exactly at their limits, then the message is stored and reads back unchanged', async () => {
    const text = `${'a'.repeat(279)}🎉`;
    const author = '🎉'.repeat(40);
    const response = await postJson(api, '/api/public/messages', { text, author }, { ip: uniqueClientIp() });
    expect(response.status).toBe(201);
    const { id } = (await response.json()) as { id: string };

    const stored = (await (await fetch(`${api.url}/api/public/messages/${id}`)).json()) as { text: string; author: { displayName: string } };
    expect(stored.text).toBe(text);
    expect(stored.author.displayName).toBe(author);
  });

  it('when the text is 280 astral characters, then it is accepted', async () => {
    expect((await postJson(api, '/api/public/messages', { text: '🎉'.repeat(280) }, { ip: uniqueClientIp() })).status).toBe(201);
  });

  it.each([
    ['text has 281 code points ending in an astral character', { text: `${'a'.repeat(280)}🎉` }],
    ['text has 281 astral characters', { text: '🎉'.repeat(281) }],
    ['author has 41 astral characters', { text: 'hi', author: '🎉'.repeat(41) }],
  ])('when %s, then the answer is a 400 problem', async (_, body) => {
    await expectProblem(await postJson(api, '/api/public/messages', body, { ip: uniqueClientIp() }), 400);
  });
});

describe('GET lists with a malformed query', () => {
  const badQueries = [
    'limit=0',
    'limit=101',
    'limit=abc',
    'limit=-1',
    'limit=1.5',
    'limit=1e1',
    'limit=',
    'limit=5&limit=6',
    'cursor=',
    'cursor=not-a-cursor',
    `cursor=${Buffer.from('garbage').toString('base64url')}`,
    'cursor=%F0%9F%92%A9',
    'cursor=a&cursor=b',
    'page=2',
  ];

  for (const path of ['/api/public/messages', '/api/public/activity']) {
    it.each(badQueries)(`when GET ${path}?%s, then the answer is a 400 problem`, async (query) => {
      await expectProblem(await fetch(`${api.url}${path}?${query}`), 400);
    });
  }

  it('when a message id is not a UUID, then the answer is a 404 problem', async () => {
    await expectProblem(await fetch(`${api.url}/api/public/messages/1%27%20OR%201=1`), 404);
  });

  it('when a message id names no message, then the answer is a 404 problem', async () => {
    await expectProblem(await fetch(`${api.url}/api/public/messages/0190f5e2-7b1c-7abc-8def-0123456789ab`), 404);
  });
});

describe('rate limit on writes', () => {
  it('when one client writes 31 times in a minute, then the 31st is a 429 with Retry-After', async () => {
    const ip = uniqueClientIp();
    for (let i = 1; i <= 30; i++) {
      const response = await postJson(api, '/api/public/messages', { text: `message ${i}` }, { ip });
      expect(response.status).toBe(201);
      expect(response.headers.get('ratelimit-policy')).toBe('"writes";q=30;w=60');
      expect(response.headers.get('ratelimit')).toMatch(new RegExp(`^"writes";r=${30 - i};t=\\d+$`));
    }
    const refused = await postJson(api, '/api/public/messages', { text: 'one too many' }, { ip });
    await expectProblem(refused, 429);
    const retryAfter = Number(refused.headers.get('retry-after'));
    expect(retryAfter).toBeGreaterThanOrEqual(1);
    expect(retryAfter).toBeLessThanOrEqual(60);
    expect(refused.headers.get('ratelimit')).toMatch(/^"writes";r=0;t=\d+$/);

    const otherClient = await postJson(api, '/api/public/messages', { text: 'someone else' }, { ip: uniqueClientIp() });
    expect(otherClient.status).toBe(201);
  });

  it('when a client is over the limit, then reads still work', async () => {
    const ip = uniqueClientIp();
    for (let i = 0; i < 31; i++) await postJson(api, '/api/public/messages', { text: 'spam' }, { ip });
    const read = await fetch(`${api.url}/api/public/messages`, { headers: { 'x-forwarded-for': ip } });
    expect(read.status).toBe(200);
  });
});
