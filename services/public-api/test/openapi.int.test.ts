import { createLogger, Health, Metrics } from '@testbed/service-kit';
import { MemoryEventBus } from '@testbed/service-kit/events';
import { Ajv2020 } from 'ajv/dist/2020.js';
import addFormatsModule from 'ajv-formats';
import { waitFor } from '@testbed/service-kit/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MemoryActivityStore } from '../src/adapters/memory/activity.store.js';
import { MemoryMessageStore } from '../src/adapters/memory/message.store.js';
import { MemoryRateLimitStore } from '../src/adapters/memory/rate-limit.store.js';
import { MemoryStatsReader } from '../src/adapters/memory/stats.reader.js';
import { createPublicRouter } from '../src/http/app.js';
import { openApiDocument } from '../src/http/openapi/document.js';
import type { HttpMethod, JsonSchema } from '../src/http/openapi/types.js';
import type { RunningPublicApi } from '../src/start-public-api.js';
import { TEST_REDIS_URL, postJson, startTestApi, uniqueClientIp } from './helpers.js';

// ajv-formats is CommonJS with a default export; under NodeNext it arrives wrapped.
const addFormats = addFormatsModule as unknown as (ajv: Ajv2020) => Ajv2020;

const HTTP_METHODS: readonly HttpMethod[] = ['get', 'post', 'put', 'patch', 'delete'];

interface RouterLayer {
  route?: { path: string; methods: Record<string, boolean> };
}

/** "GET /messages/{id}" for every route the router really serves. */
function routerOperations(): Set<string> {
  const logger = createLogger({ service: 'openapi-test', level: 'silent' });
  const router = createPublicRouter({
    logger,
    metrics: new Metrics('openapi-test'),
    health: new Health(logger),
    messages: new MemoryMessageStore(new MemoryEventBus()),
    activity: new MemoryActivityStore(),
    stats: new MemoryStatsReader(),
    rateLimits: new MemoryRateLimitStore(),
    writesPerMinute: 30,
  });
  const operations = new Set<string>();
  for (const layer of router.stack as RouterLayer[]) {
    if (!layer.route) continue;
    const path = layer.route.path.replace(/:(\w+)/g, '{$1}');
    for (const [method, enabled] of Object.entries(layer.route.methods)) {
      if (enabled && method !== '_all') operations.add(`${method.toUpperCase()} ${path}`);
    }
  }
  return operations;
}

function documentOperations(): Set<string> {
  const operations = new Set<string>();
  for (const [path, item] of Object.entries(openApiDocument.paths)) {
    for (const method of HTTP_METHODS) if (item[method]) operations.add(`${method.toUpperCase()} ${path}`);
  }
  return operations;
}

describe('OpenAPI document and router', () => {
  it('when the routes are listed, then every route is documented and every documented operation is routed', () => {
    const routed = routerOperations();
    const documented = documentOperations();
    expect(routed.size).toBeGreaterThan(0);
    expect([...routed].filter((op) => !documented.has(op)), 'routes missing from the document').toEqual([]);
    expect([...documented].filter((op) => !routed.has(op)), 'documented operations with no route').toEqual([]);
  });

  it('when operation ids are listed, then each is unique', () => {
    const ids = Object.values(openApiDocument.paths).flatMap((item) =>
      HTTP_METHODS.flatMap((method) => (item[method] ? [item[method].operationId] : [])),
    );
    expect(new Set(ids).size).toBe(ids.length);
  });
});

describe('real responses against the document', () => {
  let api: RunningPublicApi;
  const ajv = new Ajv2020({ strict: false, allErrors: true });
  addFormats(ajv);
  ajv.addSchema({ $id: 'openapi.json', components: openApiDocument.components });

  beforeAll(async () => {
    api = await startTestApi({ REDIS_URL: TEST_REDIS_URL });
  });

  afterAll(async () => {
    await api?.close();
  });

  /** Fails unless the status is documented for the operation and the body matches its schema. */
  async function expectDocumented(path: string, method: HttpMethod, response: Response): Promise<unknown> {
    const operation = openApiDocument.paths[path]?.[method];
    expect(operation, `${method} ${path} is documented`).toBeDefined();
    const documented = operation?.responses[String(response.status)];
    expect(documented, `${method} ${path} documents status ${response.status}`).toBeDefined();
    const contentType = (response.headers.get('content-type') ?? '').split(';')[0] ?? '';
    const schema: JsonSchema | undefined = documented?.content?.[contentType]?.schema;
    expect(schema, `${method} ${path} ${response.status} documents ${contentType}`).toBeDefined();
    const body: unknown = await response.json();
    const validate = ajv.compile({ $ref: `openapi.json#/components/schemas/${refName(schema)}` });
    expect(validate(body), ajv.errorsText(validate.errors)).toBe(true);
    return body;
  }

  const refName = (schema: JsonSchema | undefined) =>
    String(schema?.['$ref'] ?? '').replace('#/components/schemas/', '');

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

  it('when errors happen, then the problem bodies match the documented Problem schema', async () => {
    const invalid = await postJson(api, '/api/public/messages', { text: '' }, { ip: uniqueClientIp() });
    await expectDocumented('/messages', 'post', invalid);
    await expectDocumented('/messages', 'get', await fetch(`${api.url}/api/public/messages?limit=0`));
    await expectDocumented('/messages/{id}', 'get', await fetch(`${api.url}/api/public/messages/nope`));
  });

  it('when the feed, stats and health are read, then each response matches its schema', async () => {
    await postJson(api, '/api/public/messages', { text: 'for the feed' }, { ip: uniqueClientIp() });
    // The embedded feed is fed asynchronously by the in-memory bus.
    await waitFor(async () => {
      const page = (await (await fetch(`${api.url}/api/public/activity`)).json()) as { items: unknown[] };
      return page.items.length > 0;
    });
    await expectDocumented('/activity', 'get', await fetch(`${api.url}/api/public/activity`));
    await expectDocumented('/stats', 'get', await fetch(`${api.url}/api/public/stats`));
    await expectDocumented('/healthz', 'get', await fetch(`${api.url}/api/public/healthz`));
  });
});
