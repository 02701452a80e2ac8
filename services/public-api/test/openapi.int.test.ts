import { publicApiDocument } from '@testbed/contracts/http';
import { asOpenApiDocument, type HttpMethod } from '@testbed/service-kit';
import { OpenApiResponseChecker, undocumentedGenericAnswers, waitFor } from '@testbed/service-kit/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RunningPublicApi } from '../src/service.js';
import { TEST_REDIS_URL, postJson, startTestApi, uniqueClientIp } from './helpers.js';

const openApiDocument = asOpenApiDocument(publicApiDocument);

describe('real responses against the document', () => {
  let api: RunningPublicApi;
  const checker = new OpenApiResponseChecker(openApiDocument);

  beforeAll(async () => {
    api = await startTestApi({ REDIS_URL: TEST_REDIS_URL });
  });

  afterAll(async () => {
    await api?.stop();
  });

  /** Fails unless the status is documented for the operation and the body matches its schema. */
  async function expectDocumented(path: string, method: HttpMethod, response: Response): Promise<unknown> {
    const { body, problems } = await checker.check(path, method, response);
    expect(problems).toEqual([]);
    return body;
  }

  it('when the document is fetched, then it is the OpenAPI 3.1 document the tests check', async () => {
    const response = await fetch(`${api.url}/api/public/openapi.json`);
    expect(response.status).toBe(200);
    expect(await response.json()).toEqual(JSON.parse(JSON.stringify(openApiDocument)));
  });

  it('when a message is posted, read and listed, then each response matches its schema', async () => {
    const body = { text: 'schema check', author: 'ajv' };
    const created = await postJson(api, '/api/public/messages', body, { ip: uniqueClientIp() });
    const message = (await expectDocumented('/messages', 'post', created)) as { id: string };
    await expectDocumented('/messages/{id}', 'get', await fetch(`${api.url}/api/public/messages/${message.id}`));
    await expectDocumented('/messages', 'get', await fetch(`${api.url}/api/public/messages?limit=1`));
  });

  it('when any operation gets a body that is not JSON or a malformed one, or a malformed id, then the answer is documented', async () => {
    expect(await undocumentedGenericAnswers(checker, openApiDocument, `${api.url}/api/public`)).toEqual([]);
    await expectDocumented('/messages/{id}', 'get', await fetch(`${api.url}/api/public/messages/not-a-uuid`));
  });

  it('when errors happen, then the problem bodies match the documented Problem schema', async () => {
    const invalid = await postJson(api, '/api/public/messages', { text: '' }, { ip: uniqueClientIp() });
    await expectDocumented('/messages', 'post', invalid);
    await expectDocumented('/messages', 'get', await fetch(`${api.url}/api/public/messages?limit=0`));
    await expectDocumented('/messages/{id}', 'get', await fetch(`${api.url}/api/public/messages/nope`));
  });

  it('when the feed, stats and health are read, then each response matches its schema', async () => {
    await postJson(api, '/api/public/messages', { text: 'for the feed' }, { ip: uniqueClientIp() });
    // event-consumer (in memory, beside it) builds the feed asynchronously from the event log.
    await waitFor(async () => {
      const page = (await (await fetch(`${api.url}/api/public/activity`)).json()) as { items: unknown[] };
      return page.items.length > 0;
    });
    await expectDocumented('/activity', 'get', await fetch(`${api.url}/api/public/activity`));
    await expectDocumented('/stats', 'get', await fetch(`${api.url}/api/public/stats`));
    await expectDocumented('/healthz', 'get', await fetch(`${api.url}/api/public/healthz`));
  });
});
