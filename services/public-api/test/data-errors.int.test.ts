import { createTestDatabase, type TestDatabase } from '@testbed/service-kit/testing';
import { createConnection } from 'mysql2/promise';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RunningPublicApi } from '../src/service.js';
import { postJson, startTestApi, uniqueClientIp } from './helpers.js';

// The schema allows what the columns hold; to meet a data error the test narrows its own database's
// columns after the migrations ran, as a schema drifting from the DTO would.
describe('when the database refuses the values of a write (a data error)', () => {
  let db: TestDatabase;
  let api: RunningPublicApi;

  const alter = async (sql: string) => {
    const connection = await createConnection(db.url);
    try {
      await connection.query(sql);
    } finally {
      await connection.end();
    }
  };

  beforeAll(async () => {
    db = await createTestDatabase('public_api_data_errors');
    api = await startTestApi({ MYSQL_URL: db.url, RATE_LIMIT_PER_MINUTE: '1000' });
  });

  afterAll(async () => {
    await api?.stop();
    await db?.drop();
  });

  it('when a value the client chose cannot be stored, then it is a 422 naming the field, with no Retry-After', async () => {
    await alter('ALTER TABLE messages MODIFY text VARCHAR(5) NOT NULL');
    try {
      const response = await postJson(api, '/api/public/messages', { text: 'longer than five' }, { ip: uniqueClientIp() });
      expect(response.status).toBe(422);
      expect(response.headers.get('content-type')).toMatch(/^application\/problem\+json/);
      expect(response.headers.get('retry-after')).toBeNull();
      expect(await response.json()).toMatchObject({ status: 422, errors: [{ path: 'text' }] });
    } finally {
      await alter('ALTER TABLE messages MODIFY text VARCHAR(280) NOT NULL');
    }
  });

  it('when a value the client did not choose cannot be stored, then it is a 500 with no Retry-After (not worth a retry)', async () => {
    await alter("ALTER TABLE messages ADD CONSTRAINT messages_old_only CHECK (created_at < '2000-01-01')");
    try {
      const response = await postJson(api, '/api/public/messages', { text: 'hello' }, { ip: uniqueClientIp() });
      expect(response.status).toBe(500);
      expect(response.headers.get('retry-after')).toBeNull();
      expect(await response.json()).toMatchObject({ status: 500, type: 'urn:testbed:problem:internal' });
    } finally {
      await alter('ALTER TABLE messages DROP CONSTRAINT messages_old_only');
    }
  });
});
