import type { oas31 } from 'zod-openapi';
import { z } from 'zod';
import { activityPageSchema, openApiDocumentOperation, pageQuery } from './common.js';
import { openApiDocument, type OperationTable } from './operation.js';
import { json, problem, readResponses, unavailable } from './problem.js';
import { statsSchema } from './public-api.js';

/**
 * `?limit=&cursor=&actorUid=` of the activity read model: the feed's paging (the same limits and
 * opaque cursor as the public feed) and, for "my activity", the one actor whose lines to list.
 * Strict like `pageQuery`: an unknown parameter is a 400.
 */
export const activityReadQuery = z.strictObject({
  ...pageQuery.shape,
  actorUid: z.string().min(1).max(128).optional().meta({ description: 'Only what this user did; absent = the whole feed' }),
});

/** The read models event-consumer is the sole writer of, answering 503 while its store is down. */
const readModelUnavailable = (what: string) => ({ '503': unavailable(`${what} cannot be read right now; retry after \`Retry-After\` seconds`) });

/**
 * event-consumer's read API, under `/read-models` on its HTTP port (8083): the activity feed and
 * the site counters it builds from the events. event-consumer owns the `activity` table and the
 * stats keyspace; public-api serves them to clients through this API and never reads them itself.
 * Internal: the gateway never routes it.
 */
export const readModelsApiOperations = {
  getOpenApiDocument: openApiDocumentOperation('This document'),
  listActivity: {
    method: 'get',
    path: '/activity',
    summary: 'The activity feed, newest first, optionally of one actor',
    tags: ['read-models'],
    request: { query: activityReadQuery },
    responses: {
      ...readResponses(),
      '200': json('One page of the feed', activityPageSchema),
      '400': problem('A malformed limit, cursor or actorUid, or an unknown parameter'),
      ...readModelUnavailable('The activity feed'),
    },
  },
  getStats: {
    method: 'get',
    path: '/stats',
    summary: 'Site counters',
    tags: ['read-models'],
    responses: {
      ...readResponses(),
      '200': json('The counters', statsSchema),
      ...readModelUnavailable('The counters'),
    },
  },
} as const satisfies OperationTable;

/** event-consumer's read API document, served at `/read-models/openapi.json` on its HTTP port. */
export const readModelsApiDocument: oas31.OpenAPIObject = openApiDocument(
  {
    title: 'testbed read models (event-consumer)',
    version: '1.0.0',
    description:
      'The activity feed and site stats that event-consumer builds from the events, for public-api. ' +
      'Internal (never routed by the gateway). Errors are RFC 9457 problem details; lists are newest first, paged with an opaque cursor.',
    baseUrl: '/read-models',
  },
  readModelsApiOperations,
);
