import { AUTHOR_NAME_MAX, MESSAGE_TEXT_MAX, PROFILE_NAME_MAX } from '../../domain/message.js';
import { PAGE_LIMIT_DEFAULT, PAGE_LIMIT_MAX } from '../../domain/page.js';
import {
  appResponses,
  readResponses,
  bodyProblemResponses,
  dependencyProblemResponses,
  unprocessableResponse,
  jsonContent as json,
  openApiDocumentOperation,
  pageSchema,
  problemResponse as problem,
  problemSchema,
  schemaRef as ref,
  type OpenApiDocument,
  type OpenApiOperation,
  type OpenApiParameter,
  unavailableResponse,
} from '@testbed/service-kit';

/** Operations that read or write MySQL answer this while it is down or too slow. */
const storeUnavailable = { '503': unavailableResponse('The message store is unavailable; retry after `Retry-After` seconds') };

const pageParameters: readonly OpenApiParameter[] = [
  {
    name: 'limit',
    in: 'query',
    description: 'Items per page.',
    schema: { type: 'integer', minimum: 1, maximum: PAGE_LIMIT_MAX, default: PAGE_LIMIT_DEFAULT },
  },
  {
    name: 'cursor',
    in: 'query',
    description: 'The `nextCursor` of the previous page; opaque.',
    schema: { type: 'string' },
  },
];

const rateLimitHeaders = {
  'RateLimit-Policy': {
    description: 'The write quota, e.g. `"writes";q=30;w=60` (draft-ietf-httpapi-ratelimit-headers).',
    schema: { type: 'string' },
  },
  RateLimit: {
    description: 'What is left of the quota and when it resets, e.g. `"writes";r=29;t=60`.',
    schema: { type: 'string' },
  },
};

const health: OpenApiOperation = {
  operationId: 'getHealth',
  summary: 'Liveness through the gateway; answers without touching any dependency',
  tags: ['operations'],
  responses: { ...readResponses(), '200': { description: 'The process is up', content: json(ref('Health')) } },
};

/** The public API as clients see it; test/openapi.int.test.ts fails when it and the router disagree. */
export const openApiDocument: OpenApiDocument = {
  openapi: '3.1.0',
  info: {
    title: 'testbed public API',
    version: '1.0.0',
    description:
      'Anonymous message board, activity feed and site stats. Errors are RFC 9457 problem details. ' +
      'Lists are newest first and paged with an opaque cursor.',
  },
  servers: [{ url: '/api/public' }],
  paths: {
    '/healthz': { get: health },
    '/openapi.json': { get: openApiDocumentOperation('This document') },
    '/messages': {
      get: {
        operationId: 'listMessages',
        summary: 'Messages, newest first',
        tags: ['messages'],
        parameters: pageParameters,
        responses: {
          ...readResponses(),
          '200': { description: 'One page of messages', content: json(ref('MessagePage')) },
          '400': problem('A malformed limit or cursor'),
          ...storeUnavailable,
        },
      },
      post: {
        operationId: 'postMessage',
        summary: 'Post an anonymous message',
        tags: ['messages'],
        requestBody: { required: true, content: json(ref('NewMessage')) },
        responses: {
          ...appResponses(),
          '201': {
            description: 'The message was stored; its event will be delivered',
            headers: {
              Location: { description: 'Where the new message can be read', schema: { type: 'string' } },
              ...rateLimitHeaders,
            },
            content: json(ref('Message')),
          },
          ...bodyProblemResponses('The body is not a valid new message'),
          ...unprocessableResponse(),
          ...dependencyProblemResponses(),
          '429': problem('Too many writes from this client; retry after `Retry-After` seconds', {
            'Retry-After': { schema: { type: 'integer' } },
            ...rateLimitHeaders,
          }),
          ...storeUnavailable,
        },
      },
    },
    '/messages/{id}': {
      get: {
        operationId: 'getMessage',
        summary: 'One message',
        tags: ['messages'],
        parameters: [{ name: 'id', in: 'path', required: true, schema: { type: 'string', format: 'uuid' } }],
        responses: {
          ...readResponses(),
          '200': { description: 'The message', content: json(ref('Message')) },
          '400': problem('The id is not a UUID'),
          '404': problem('No message has this id'),
          ...storeUnavailable,
        },
      },
    },
    '/activity': {
      get: {
        operationId: 'listActivity',
        summary: 'What happened on the site, newest first',
        tags: ['activity'],
        parameters: pageParameters,
        responses: {
          ...readResponses(),
          '200': { description: 'One page of the feed', content: json(ref('ActivityPage')) },
          '400': problem('A malformed limit or cursor'),
          ...storeUnavailable,
        },
      },
    },
    '/stats': {
      get: {
        operationId: 'getStats',
        summary: 'Site counters',
        tags: ['activity'],
        responses: {
          ...readResponses(),
          '200': { description: 'The counters', content: json(ref('Stats')) },
          '503': problem('The counters cannot be read right now'),
        },
      },
    },
  },
  components: {
    schemas: {
      Author: {
        type: 'object',
        additionalProperties: false,
        required: ['uid', 'displayName'],
        properties: {
          uid: { type: ['string', 'null'], description: 'The signed-in author, or null for an anonymous post' },
          displayName: {
            type: 'string',
            minLength: 1,
            maxLength: PROFILE_NAME_MAX,
            description: `The name typed with an anonymous post (at most ${AUTHOR_NAME_MAX}) or the signed-in author's profile name`,
          },
        },
      },
      Message: {
        type: 'object',
        additionalProperties: false,
        required: ['id', 'text', 'author', 'createdAt'],
        properties: {
          id: { type: 'string', format: 'uuid', description: 'A UUIDv7' },
          text: { type: 'string', minLength: 1, maxLength: MESSAGE_TEXT_MAX },
          author: ref('Author'),
          createdAt: { type: 'string', format: 'date-time' },
        },
      },
      NewMessage: {
        type: 'object',
        additionalProperties: false,
        required: ['text'],
        properties: {
          text: { type: 'string', description: `1 to ${MESSAGE_TEXT_MAX} characters after trimming` },
          author: {
            type: 'string',
            description: `1 to ${AUTHOR_NAME_MAX} characters after trimming`,
            default: 'anonymous',
          },
        },
      },
      MessagePage: pageSchema('Message'),
      Activity: {
        type: 'object',
        additionalProperties: false,
        required: ['id', 'type', 'actorUid', 'summary', 'occurredAt'],
        properties: {
          id: { type: 'string' },
          type: {
            type: 'string',
            description: 'The CloudEvents type, e.g. testbed.message.posted',
          },
          actorUid: { type: ['string', 'null'], description: 'Who did it; null for anonymous posts' },
          summary: { type: 'string' },
          occurredAt: { type: 'string', format: 'date-time' },
        },
      },
      ActivityPage: pageSchema('Activity'),
      Stats: {
        type: 'object',
        additionalProperties: false,
        required: ['messages', 'users', 'signIns', 'updatedAt'],
        properties: {
          messages: { type: 'integer', minimum: 0 },
          users: { type: 'integer', minimum: 0 },
          signIns: { type: 'integer', minimum: 0 },
          updatedAt: { type: ['string', 'null'], format: 'date-time' },
        },
      },
      Health: {
        type: 'object',
        required: ['status'],
        properties: { status: { const: 'ok' } },
      },
      Problem: problemSchema,
    },
  },
};
