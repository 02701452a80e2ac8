import { setTimeout as sleep } from 'node:timers/promises';
import { secureApiDocument } from '@testbed/contracts/http';
import { AppError, asOpenApiDocument, createLogger, Health, listenHttp, Metrics, type HttpMethod } from '@testbed/service-kit';
import { OpenApiResponseChecker, undocumentedGenericAnswers, signInUser, signUpUser, type EmulatorUser } from '@testbed/service-kit/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadSecureApiConfig } from '../src/config.js';
import { createApp } from '../src/http/app.js';
import { startService, type RunningSecureApi } from '../src/service.js';
import { startAuthService, startPublicApi, type Neighbour, type PublicApiNeighbour } from './support/services.js';

const openApiDocument = asOpenApiDocument(secureApiDocument);

describe('real responses against the document', () => {
  const checker = new OpenApiResponseChecker(openApiDocument);
  let authService: Neighbour;
  let publicApi: PublicApiNeighbour;
  let api: RunningSecureApi;
  let base: string;
  let user: EmulatorUser;

  beforeAll(async () => {
    authService = await startAuthService();
    publicApi = await startPublicApi(authService);
    api = await startService(
      loadSecureApiConfig({
        PORT: '0',
        NODE_ENV: 'test',
        LOG_LEVEL: 'silent',
        AUTH_GRPC_ADDR: authService.address,
        PUBLIC_API_URL: publicApi.internalAddress,
      }),
    );
    base = `http://127.0.0.1:${api.port}/api/secure`;
    user = await signUpUser({ displayName: 'Schema Check' });
  });

  afterAll(async () => {
    await api?.stop();
    await Promise.all([authService?.stop(), publicApi?.stop()]);
  });

  const send = (path: string, method: HttpMethod, options: { token?: string | null; body?: unknown } = {}) => {
    const token = options.token === undefined ? user.idToken : options.token;
    return fetch(`${base}${path}`, {
      method: method.toUpperCase(),
      headers: {
        ...(token === null ? {} : { authorization: `Bearer ${token}` }),
        ...(options.body === undefined ? {} : { 'content-type': 'application/json' }),
      },
      ...(options.body === undefined ? {} : { body: JSON.stringify(options.body) }),
    });
  };

  async function expectDocumented(path: string, method: HttpMethod, response: Response): Promise<unknown> {
    const { body, problems } = await checker.check(path, method, response);
    expect(problems).toEqual([]);
    return body;
  }

  it('when the document is fetched without a token, then it is the OpenAPI 3.1 document the tests check', async () => {
    const response = await send('/openapi.json', 'get', { token: null });
    expect(response.status).toBe(200);
    expect(await response.json()).toEqual(JSON.parse(JSON.stringify(openApiDocument)));
  });

  it('when the profile is read, saved and deleted, then each response matches its schema', async () => {
    await expectDocumented('/me', 'get', await send('/me', 'get'));
    await expectDocumented('/me', 'put', await send('/me', 'put', { body: { displayName: 'Schema', bio: 'checked' } }));
    await expectDocumented('/me', 'put', await send('/me', 'put', { body: { displayName: '' } }));
    await expectDocumented('/me', 'delete', await send('/me', 'delete'));
  });

  it('when a message is posted and the activity read, then each response matches its schema', async () => {
    await expectDocumented('/messages', 'post', await send('/messages', 'post', { body: { text: 'schema' } }));
    await expectDocumented('/messages', 'post', await send('/messages', 'post', { body: { text: '' } }));
    await expectDocumented('/me/activity', 'get', await send('/me/activity?limit=5', 'get'));
    await expectDocumented('/me/activity', 'get', await send('/me/activity?limit=0', 'get'));
  });

  it('when the token is missing or stale for a write, then the 401 problems match the document', async () => {
    await expectDocumented('/me', 'get', await send('/me', 'get', { token: null }));
    await expectDocumented('/messages', 'post', await send('/messages', 'post', { token: 'garbage', body: { text: 'x' } }));
    await sleep(1_100);
    const fresh = await signInUser(user.email, user.password);
    expect((await send('/me', 'get', { token: fresh.idToken })).status).toBe(200);
    await expectDocumented('/me', 'put', await send('/me', 'put', { body: { displayName: 'Stale', bio: '' } }));
    user = fresh;
  });

  it('when any operation gets a body that is not JSON or a malformed one, then the answer is documented', async () => {
    expect(await undocumentedGenericAnswers(checker, openApiDocument, base, { authorization: `Bearer ${user.idToken}` })).toEqual([]);
  });

  it('when public-api is down, then the 503 problem matches the document', async () => {
    await publicApi.stop();
    await expectDocumented('/messages', 'post', await send('/messages', 'post', { body: { text: 'anyone?' } }));
    await expectDocumented('/me/activity', 'get', await send('/me/activity', 'get'));
  });
});

describe('GET /me without a stored profile', () => {
  it('when nothing was saved yet, then the 200 with the defaults matches the document and nothing is written', async () => {
    const logger = createLogger({ service: 'openapi-test', level: 'silent' });
    const now = Math.floor(Date.now() / 1000);
    const session = {
      uid: 'new-user',
      email: 'new@example.test',
      emailVerified: true,
      displayName: 'Newcomer',
      signInProvider: 'password',
      authTime: now,
      issuedAt: now,
      expiresAt: now + 3600,
      level: 'AUTHENTICATED' as const,
      freshAuthMaxAgeS: 300,
    };
    const writes: string[] = [];
    const noWrite = (name: string) => () => {
      writes.push(name);
      return Promise.reject(new AppError('internal', `${name} must not be called on a read`));
    };
    const app = createApp({
      logger,
      metrics: new Metrics('openapi-race-test'),
      health: new Health(logger),
      verifier: { verify: async () => session },
      profiles: { find: async () => undefined, save: noWrite('save'), delete: noWrite('delete'), ping: async () => {} },
      messageBoard: { post: noWrite('post'), activityOf: noWrite('activityOf'), ping: async () => {} },
    });
    const server = await listenHttp(app, 0, '127.0.0.1');
    try {
      const response = await fetch(`http://127.0.0.1:${server.port}/api/secure/me`, { headers: { authorization: 'Bearer any' } });
      expect(response.status).toBe(200);
      const { problems } = await new OpenApiResponseChecker(openApiDocument).check('/me', 'get', response.clone());
      expect(problems).toEqual([]);
      const body = (await response.json()) as Record<string, unknown>;
      expect(body).toMatchObject({ uid: 'new-user', displayName: 'Newcomer', bio: '' });
      expect(body['updatedAt']).toBe(body['createdAt']);
      expect(writes).toEqual([]);
    } finally {
      await server.close();
    }
  });
});
