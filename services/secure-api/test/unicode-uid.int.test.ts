import { randomUUID } from 'node:crypto';
import { createTestDatabase, emulatorHost, signInUser, EMULATOR_PROJECT_ID, type EmulatorUser, type TestDatabase } from '@testbed/service-kit/testing';
import { createConnection, type RowDataPacket } from 'mysql2/promise';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { loadSecureApiConfig } from '../src/config.js';
import { startService, type RunningSecureApi } from '../src/service.js';
import { startAuthService, startPublicApi, type Neighbour, type PublicApiNeighbour } from './support/services.js';

// Firebase uids are any string of up to 128 characters; the emulator, like production's Admin SDK,
// takes a chosen uid. Every value below is at its schema's maximum, in UTF-16 units (the schemas'
// measure), and carries astral characters, which need utf8mb4's 4 bytes.
const atMax = (prefix: string, max: number) => {
  const fill = '😀'.repeat(Math.floor((max - prefix.length) / 2));
  return (prefix + fill).padEnd(max, 'ü');
};
const UID_MAX = 128;

let secureDb: TestDatabase;
let publicDb: TestDatabase;
let authService: Neighbour;
let publicApi: PublicApiNeighbour;
let api: RunningSecureApi;

async function userWithUid(uid: string): Promise<EmulatorUser> {
  const email = `uid-${randomUUID()}@example.test`;
  const password = `pw-${randomUUID()}`;
  const response = await fetch(`http://${emulatorHost()}/identitytoolkit.googleapis.com/v1/projects/${EMULATOR_PROJECT_ID}/accounts`, {
    method: 'POST',
    headers: { authorization: 'Bearer owner', 'content-type': 'application/json' },
    body: JSON.stringify({ localId: uid, email, password }),
  });
  if (!response.ok) throw new Error(`emulator refused uid: ${await response.text()}`);
  return signInUser(email, password);
}

/** The rows `sql` selects; `Row` names the columns a test reads (mysql2's typed-query idiom). */
async function rows<Row extends RowDataPacket = RowDataPacket>(db: TestDatabase, sql: string, params: unknown[]): Promise<Row[]> {
  const conn = await createConnection({ uri: db.url, charset: 'utf8mb4_unicode_ci' });
  try {
    const [result] = await conn.query<Row[]>(sql, params);
    return result;
  } finally {
    await conn.end();
  }
}

const call = (user: EmulatorUser, path: string, method = 'GET', body?: unknown) =>
  fetch(`http://127.0.0.1:${api.port}/api/secure${path}`, {
    method,
    headers: { authorization: `Bearer ${user.idToken}`, ...(body ? { 'content-type': 'application/json' } : {}) },
    ...(body ? { body: JSON.stringify(body) } : {}),
  });

beforeAll(async () => {
  [secureDb, publicDb] = await Promise.all([createTestDatabase('unicode_uid_secure'), createTestDatabase('unicode_uid_public')]);
  authService = await startAuthService();
  publicApi = await startPublicApi(authService, { MYSQL_URL: publicDb.url });
  const config = loadSecureApiConfig({
    PORT: '0',
    NODE_ENV: 'test',
    LOG_LEVEL: 'silent',
    AUTH_GRPC_ADDR: authService.address,
    PUBLIC_API_URL: publicApi.internalAddress,
    MYSQL_URL: secureDb.url,
  });
  api = await startService(config);
});

afterAll(async () => {
  await api?.stop();
  await Promise.all([authService?.stop(), publicApi?.stop()]);
  await Promise.all([secureDb?.drop(), publicDb?.drop()]);
});

it('when a uid is not ASCII and as long as Firebase allows, then the user can read, rename and post, and every value is stored exactly', async () => {
  const uid = atMax(`jürgen-müller-${randomUUID().slice(0, 8)}-`, UID_MAX);
  const user = await userWithUid(uid);
  const displayName = atMax('Jürgen ', 50);
  const bio = atMax('Über mich ', 280);
  const text = atMax('Grüße ', 280);

  expect((await call(user, '/me')).status).toBe(200);
  expect((await call(user, '/me', 'PUT', { displayName, bio })).status).toBe(200);
  const posted = await call(user, '/messages', 'POST', { text });
  expect(posted.status).toBe(201);

  expect(await rows(secureDb, 'SELECT uid, display_name, bio FROM profiles WHERE uid = ?', [uid])).toEqual([{ uid, display_name: displayName, bio }]);
  expect(await rows(publicDb, 'SELECT author_uid, author_display_name, text FROM messages WHERE author_uid = ?', [uid])).toEqual([
    { author_uid: uid, author_display_name: displayName, text },
  ]);
});

it('when two uids differ only in case or accents, then they are two users with two profiles', async () => {
  const tag = randomUUID().slice(0, 8);
  const [accented, plain] = [await userWithUid(`Jürgen-${tag}`), await userWithUid(`jurgen-${tag}`)];

  expect((await call(accented, '/me', 'PUT', { displayName: 'Accented', bio: '' })).status).toBe(200);
  expect((await call(plain, '/me', 'PUT', { displayName: 'Plain', bio: '' })).status).toBe(200);

  type ProfileName = RowDataPacket & { display_name: string };
  const names = await rows<ProfileName>(secureDb, 'SELECT display_name FROM profiles WHERE uid IN (?, ?) ORDER BY display_name', [accented.uid, plain.uid]);
  expect(names.map((row) => row['display_name'])).toEqual(['Accented', 'Plain']);
});
