import {
  appResponses,
  readResponses,
  bodyProblemResponses,
  jsonContent as json,
  openApiDocumentOperation,
  pageSchema,
  problemResponse as problem,
  problemSchema,
  schemaRef as ref,
  type OpenApiDocument,
  type OpenApiOperation,
  type OpenApiResponse,
} from '@testbed/service-kit';
import { BIO_MAX, DISPLAY_NAME_MAX } from '../../domain/profile.js';
import { MESSAGE_TEXT_MAX } from '../../domain/message-board.js';

const retryAfter = { 'Retry-After': { description: 'Seconds to wait before retrying', schema: { type: 'integer' } } };

const challenge = {
  'WWW-Authenticate': {
    description:
      'RFC 6750 `Bearer error="invalid_token"` (or `error="invalid_request"` with a 400), or RFC 9470 ' +
      '`error="insufficient_user_authentication", max_age=N` when a fresh sign-in is required; N is auth-service\'s window',
    schema: { type: 'string' },
  },
};

/** What every authenticated operation can answer besides its own statuses; spread first, so an operation's own 400 wins. */
const authResponses: Record<string, OpenApiResponse> = {
  '400': problem('More than one credential (several Authorization headers): RFC 6750 `invalid_request`', challenge),
  '401': problem('Missing, invalid or expired token (see WWW-Authenticate)', challenge),
  '503': problem(
    'auth-service, the database (or, for message routes, public-api) is down, hung or overloaded; retry',
    retryAfter,
  ),
};

const rateLimitHeaders = {
  'RateLimit-Policy': { description: 'The write quota of public-api, per author', schema: { type: 'string' } },
  RateLimit: { description: 'What is left of the quota and when it resets', schema: { type: 'string' } },
};

const bodyProblems = bodyProblemResponses('The body is not valid');

const getMe: OpenApiOperation = {
  operationId: 'getMe',
  summary: "The caller's profile",
  description:
    'A read never stores anything. Until the first PUT (or after a DELETE) there is no stored profile and the answer ' +
    "holds the defaults from the token: `displayName` is the token's name, else the email's local part; `bio` is " +
    'empty; `createdAt` and `updatedAt` are both the time of the answer.',
  tags: ['profile'],
  responses: {
    ...readResponses(),
    '200': { description: 'The profile (stored, or the defaults when none is stored yet)', content: json(ref('Me')) },
    ...authResponses,
  },
};

/** The secure API as clients see it; test/openapi.int.test.ts fails when it and the router disagree. */
export const openApiDocument: OpenApiDocument = {
  openapi: '3.1.0',
  info: {
    title: 'testbed secure API',
    version: '1.0.0',
    description:
      'The signed-in user\'s own data. Every operation except this document needs `Authorization: Bearer <Firebase ID token>`; ' +
      'changing the profile needs a fresh sign-in (AUTHENTICATED), otherwise a 401 step-up challenge (RFC 9470). ' +
      'Errors are RFC 9457 problem details.',
  },
  servers: [{ url: '/api/secure' }],
  paths: {
    '/openapi.json': { get: openApiDocumentOperation('This document (no token needed)') },
    '/me': {
      get: getMe,
      put: {
        operationId: 'updateMe',
        summary: 'Replace the editable profile; announced as testbed.profile.updated',
        tags: ['profile'],
        requestBody: { required: true, content: json(ref('ProfileChanges')) },
        responses: {
          ...appResponses(),
          '200': { description: 'The saved profile', content: json(ref('Me')) },
          '422': problem('A value cannot be stored as given; `errors` names the field'),
          ...authResponses,
          ...bodyProblems,
        },
      },
      delete: {
        operationId: 'deleteMe',
        summary: 'Delete the profile (a later request starts a new one)',
        tags: ['profile'],
        responses: { ...appResponses(), '204': { description: 'Deleted, or there was nothing to delete' }, ...authResponses },
      },
    },
    '/messages': {
      post: {
        operationId: 'postMyMessage',
        summary: "Post a message as the caller; the author is the caller's profile",
        tags: ['messages'],
        requestBody: { required: true, content: json(ref('NewMessage')) },
        responses: {
          ...appResponses(),
          '201': {
            description: 'Stored by public-api; its event will be delivered',
            headers: {
              Location: { description: 'Where the public API serves the message', schema: { type: 'string' } },
            },
            content: json(ref('Message')),
          },
          ...authResponses,
          ...bodyProblems,
          '422': problem('public-api cannot store a value as given; `errors` names the field'),
          '429': problem('This author wrote too much; retry after `Retry-After` seconds', {
            ...retryAfter,
            ...rateLimitHeaders,
          }),
        },
      },
    },
    '/me/activity': {
      get: {
        operationId: 'listMyActivity',
        summary: "The caller's own activity, newest first",
        tags: ['messages'],
        parameters: [
          { name: 'limit', in: 'query', description: 'Items per page (1-100, default 20)', schema: { type: 'integer' } },
          { name: 'cursor', in: 'query', description: 'The `nextCursor` of the previous page', schema: { type: 'string' } },
        ],
        responses: {
          ...readResponses(),
          '200': { description: 'One page of activity', content: json(ref('ActivityPage')) },
          ...authResponses,
          '400': problem('A malformed limit or cursor, or more than one credential'),
        },
      },
    },
  },
  components: {
    schemas: {
      Me: {
        type: 'object',
        additionalProperties: false,
        required: ['uid', 'email', 'emailVerified', 'displayName', 'bio', 'authLevel', 'createdAt', 'updatedAt'],
        properties: {
          uid: { type: 'string' },
          email: { type: 'string' },
          emailVerified: { type: 'boolean' },
          displayName: { type: 'string', minLength: 1, maxLength: DISPLAY_NAME_MAX },
          bio: { type: 'string', maxLength: BIO_MAX },
          authLevel: { enum: ['AUTHORIZED', 'AUTHENTICATED'] },
          createdAt: { type: 'string', format: 'date-time' },
          updatedAt: { type: 'string', format: 'date-time' },
        },
      },
      ProfileChanges: {
        type: 'object',
        additionalProperties: false,
        required: ['displayName', 'bio'],
        properties: {
          displayName: { type: 'string', description: `1 to ${DISPLAY_NAME_MAX} characters after trimming` },
          bio: { type: 'string', maxLength: BIO_MAX },
        },
      },
      NewMessage: {
        type: 'object',
        additionalProperties: false,
        required: ['text'],
        properties: { text: { type: 'string', description: `1 to ${MESSAGE_TEXT_MAX} characters after trimming` } },
      },
      Message: {
        type: 'object',
        additionalProperties: false,
        required: ['id', 'text', 'author', 'createdAt'],
        properties: {
          id: { type: 'string', format: 'uuid' },
          text: { type: 'string', minLength: 1, maxLength: MESSAGE_TEXT_MAX },
          author: {
            type: 'object',
            additionalProperties: false,
            required: ['uid', 'displayName'],
            properties: { uid: { type: 'string' }, displayName: { type: 'string', minLength: 1 } },
          },
          createdAt: { type: 'string', format: 'date-time' },
        },
      },
      Activity: {
        type: 'object',
        additionalProperties: false,
        required: ['id', 'type', 'actorUid', 'summary', 'occurredAt'],
        properties: {
          id: { type: 'string' },
          type: { type: 'string', description: 'The CloudEvents type, e.g. testbed.message.posted' },
          actorUid: { type: ['string', 'null'] },
          summary: { type: 'string' },
          occurredAt: { type: 'string', format: 'date-time' },
        },
      },
      ActivityPage: pageSchema('Activity'),
      Problem: problemSchema,
    },
  },
};
