import type { oas31 } from 'zod-openapi';
import { AUTHOR_NAME_MAX, DISPLAY_NAME_MAX, MESSAGE_TEXT_MAX } from '@testbed/text';
import { z } from 'zod';
import {
  activityPageSchema,
  healthOperation,
  idTokenRequired,
  idTokenSecuritySchemes,
  openApiDocumentOperation,
  pageOf,
  pageQuery,
  plainText,
} from './common.js';
import { openApiDocument, type OperationTable } from './operation.js';
import { appResponses, bodyProblems, dependencyProblems, json, problem, readResponses, retryAfterHeader, unavailable, unprocessable } from './problem.js';

/** Who wrote a message: the name typed with an anonymous post, or a signed-in author's profile name. */
export const authorSchema = z
  .strictObject({
    uid: z.string().nullable().meta({ description: 'The signed-in author, or null for an anonymous post' }),
    displayName: z
      .string()
      .min(1)
      .max(DISPLAY_NAME_MAX)
      .meta({
        description: `The name typed with an anonymous post (at most ${AUTHOR_NAME_MAX}) or the signed-in author's profile name`,
      }),
  })
  .meta({ id: 'Author' });

export const messageSchema = z
  .strictObject({
    id: z.uuid().meta({ description: 'A UUIDv7' }),
    text: z.string().min(1).max(MESSAGE_TEXT_MAX),
    author: authorSchema,
    createdAt: z.iso.datetime(),
  })
  .meta({ id: 'Message' });

export const messagePageSchema = pageOf(messageSchema, 'MessagePage');

/**
 * Lengths count Unicode code points after trimming, so "   " is empty, padding cannot smuggle in
 * extra characters, and 280 × 🎉 fits as it fits the `VARCHAR(280)` column. zod 4's string
 * `min`/`max` count code points, not UTF-16 units.
 */
export const messageText = plainText(z.string().trim().min(1).max(MESSAGE_TEXT_MAX), { multiline: true }).meta({
  description: `1 to ${MESSAGE_TEXT_MAX} characters after trimming`,
});

export const ANONYMOUS_AUTHOR = 'anonymous';

/** POST /messages: an anonymous post. */
export const newMessageSchema = z
  .strictObject({
    text: messageText,
    author: plainText(z.string().trim().min(1).max(AUTHOR_NAME_MAX))
      .default(ANONYMOUS_AUTHOR)
      .meta({
        description: `1 to ${AUTHOR_NAME_MAX} characters after trimming`,
      }),
  })
  .meta({ id: 'NewMessage' });

/**
 * The internal route's body: the text and the author's profile name. The author's uid is not in
 * it: it comes from the ID token the caller forwards, as auth-service verified it.
 */
export const internalNewMessageSchema = z
  .strictObject({
    text: messageText,
    author: z.strictObject({ displayName: plainText(z.string().trim().min(1).max(DISPLAY_NAME_MAX)) }),
  })
  .meta({ id: 'InternalNewMessage' });

export const statsSchema = z
  .strictObject({
    messages: z.int().min(0),
    users: z.int().min(0),
    signIns: z.int().min(0),
    updatedAt: z.iso.datetime().nullable(),
  })
  .meta({ id: 'Stats' });

/** A message id; one that is not a UUID is simply not found (404), as the domain decides. */
export const messageIdParams = z.object({ id: z.string().meta({ format: 'uuid' }) });

const rateLimitHeaders = {
  'RateLimit-Policy': {
    description: 'The write quota, e.g. `"writes";q=30;w=60` (draft-ietf-httpapi-ratelimit-headers).',
    schema: { type: 'string' },
  },
  RateLimit: {
    description: 'What is left of the quota and when it resets, e.g. `"writes";r=29;t=60`.',
    schema: { type: 'string' },
  },
} as const;

/** Operations that read or write MySQL answer this while it is down or too slow. */
const storeUnavailable = { '503': unavailable('The message store is unavailable; retry after `Retry-After` seconds') };

/** The feed and the stats are event-consumer's, read from its read API: this while it is down, slow or failing. */
const readModelsUnavailable = (what: string) => ({
  '503': unavailable(`${what} cannot be read right now (its owner, event-consumer, is down, slow or failing); retry after \`Retry-After\` seconds`),
});

const tooManyWrites = (description: string) => ({
  '429': problem(description, { ...retryAfterHeader, ...rateLimitHeaders }),
});

/** public-api as clients see it, under `/api/public`. */
export const publicApiOperations = {
  getHealth: healthOperation,
  getOpenApiDocument: openApiDocumentOperation('This document'),
  listMessages: {
    method: 'get',
    path: '/messages',
    summary: 'Messages, newest first',
    tags: ['messages'],
    request: { query: pageQuery },
    responses: {
      ...readResponses(),
      '200': json('One page of messages', messagePageSchema),
      '400': problem('A malformed limit or cursor'),
      ...storeUnavailable,
    },
  },
  postMessage: {
    method: 'post',
    path: '/messages',
    summary: 'Post an anonymous message',
    tags: ['messages'],
    request: { body: newMessageSchema },
    responses: {
      ...appResponses(),
      '201': json('The message was stored; its event will be delivered', messageSchema, {
        Location: { description: 'Where the new message can be read', schema: { type: 'string' } },
        ...rateLimitHeaders,
      }),
      ...bodyProblems('The body is not a valid new message'),
      ...unprocessable(),
      ...dependencyProblems(),
      ...tooManyWrites('Too many writes from this client; retry after `Retry-After` seconds'),
      ...storeUnavailable,
    },
  },
  getMessage: {
    method: 'get',
    path: '/messages/{id}',
    summary: 'One message',
    tags: ['messages'],
    request: { params: messageIdParams },
    responses: {
      ...readResponses(),
      '200': json('The message', messageSchema),
      '400': problem('The id is not a UUID'),
      '404': problem('No message has this id'),
      ...storeUnavailable,
    },
  },
  listActivity: {
    method: 'get',
    path: '/activity',
    summary: 'What happened on the site, newest first',
    tags: ['activity'],
    request: { query: pageQuery },
    responses: {
      ...readResponses(),
      '200': json('One page of the feed', activityPageSchema),
      '400': problem('A malformed limit or cursor'),
      ...readModelsUnavailable('The activity feed'),
    },
  },
  getStats: {
    method: 'get',
    path: '/stats',
    summary: 'Site counters',
    tags: ['activity'],
    responses: {
      ...readResponses(),
      '200': json('The counters', statsSchema),
      ...readModelsUnavailable('The counters'),
    },
  },
} as const satisfies OperationTable;

/**
 * public-api's internal routes for secure-api, under `/internal` on INTERNAL_PORT. Every call
 * carries the end user's ID token; the acting user is whoever it proves.
 */
export const internalApiOperations = {
  postMessageAs: {
    method: 'post',
    path: '/messages',
    summary: "Post a message as the token's user",
    security: idTokenRequired,
    tags: ['internal'],
    request: { body: internalNewMessageSchema },
    responses: {
      ...appResponses(),
      '201': json('The message was stored; its event will be delivered', messageSchema, {
        Location: { description: 'Where the public API serves the message', schema: { type: 'string' } },
        ...rateLimitHeaders,
      }),
      '401': problem('Missing, invalid or expired token'),
      ...bodyProblems('The body is not a valid message'),
      ...unprocessable(),
      ...tooManyWrites('This author wrote too much; retry after `Retry-After` seconds'),
      ...dependencyProblems(),
    },
  },
  listActivityOf: {
    method: 'get',
    path: '/activity',
    summary: "What the token's user did, newest first",
    security: idTokenRequired,
    tags: ['internal'],
    request: { query: pageQuery },
    responses: {
      ...readResponses(),
      '200': json("One page of the user's activity", activityPageSchema),
      '400': problem('A malformed limit or cursor'),
      '401': problem('Missing, invalid or expired token'),
      ...dependencyProblems(),
    },
  },
} as const satisfies OperationTable;

/** The public API's OpenAPI 3.1 document, served at `/api/public/openapi.json`. */
export const publicApiDocument: oas31.OpenAPIObject = openApiDocument(
  {
    title: 'testbed public API',
    version: '1.0.0',
    description:
      'Anonymous message board, activity feed and site stats. Errors are RFC 9457 problem details. ' +
      'Lists are newest first and paged with an opaque cursor.',
    baseUrl: '/api/public',
  },
  publicApiOperations,
);

/** The internal API's document (secure-api's client is typed from it); not served. */
export const internalApiDocument: oas31.OpenAPIObject = openApiDocument(
  {
    title: 'testbed public API, internal routes',
    version: '1.0.0',
    description: "Routes for secure-api on public-api's INTERNAL_PORT; every call carries the user's ID token.",
    baseUrl: '/internal',
    securitySchemes: idTokenSecuritySchemes,
  },
  internalApiOperations,
);
