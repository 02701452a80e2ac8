import type { oas31 } from 'zod-openapi';
import { BIO_MAX, DISPLAY_NAME_MAX } from '@testbed/text';
import { z } from 'zod';
import type { ZodOpenApiResponseObject } from 'zod-openapi';
import { activityPageSchema, idTokenRequired, idTokenSecuritySchemes, openApiDocumentOperation, pageQuery, plainText } from './common.js';
import { openApiDocument, type OperationTable } from './operation.js';
import { appResponses, bodyProblems, json, problem, readResponses, retryAfterHeader, unprocessable } from './problem.js';
import { authorSchema, messageSchema, messageText } from './public-api.js';

export const AUTH_LEVELS = ['AUTHORIZED', 'AUTHENTICATED'] as const;

export const meSchema = z
  .strictObject({
    uid: z.string(),
    email: z.string(),
    emailVerified: z.boolean(),
    displayName: z.string().min(1).max(DISPLAY_NAME_MAX),
    bio: z.string().max(BIO_MAX),
    authLevel: z.enum(AUTH_LEVELS),
    createdAt: z.iso.datetime(),
    updatedAt: z.iso.datetime(),
  })
  .meta({ id: 'Me' });

/**
 * PUT /me replaces the whole editable profile; unknown fields are a mistake worth reporting.
 * Lengths count Unicode code points (the name's after trimming), as the MySQL columns do.
 */
export const profileChangesSchema = z
  .strictObject({
    displayName: plainText(z.string().trim().min(1).max(DISPLAY_NAME_MAX)).meta({
      description: `1 to ${DISPLAY_NAME_MAX} characters after trimming`,
    }),
    bio: plainText(z.string().max(BIO_MAX), { multiline: true }),
  })
  .meta({ id: 'ProfileChanges' });

/** A message posted through this API: its author is always the signed-in caller (public-api's answer, passed on). */
export const signedInMessageSchema = messageSchema
  .extend({
    author: authorSchema.extend({ uid: z.string().meta({ description: 'The signed-in author' }) }).meta({ id: 'SignedInAuthor' }),
  })
  .meta({ id: 'SignedInMessage' });

/** POST /messages: the author comes from the caller's profile, never the body. */
export const newMyMessageSchema = z.strictObject({ text: messageText }).meta({ id: 'NewMyMessage' });

const challenge = {
  'WWW-Authenticate': {
    description:
      'RFC 6750 `Bearer error="invalid_token"` (or `error="invalid_request"` with a 400), or RFC 9470 ' +
      '`error="insufficient_user_authentication", max_age=N` when a fresh sign-in is required; N is auth-service\'s window',
    schema: { type: 'string' },
  },
} as const;

/** What every authenticated operation can answer besides its own statuses; spread first, so an operation's own 400 wins. */
const authResponses: Record<string, ZodOpenApiResponseObject> = {
  '400': problem('More than one credential (several Authorization headers): RFC 6750 `invalid_request`', challenge),
  '401': problem('Missing, invalid or expired token (see WWW-Authenticate)', challenge),
  '503': problem('auth-service, the database (or, for message routes, public-api) is down, hung or overloaded; retry', retryAfterHeader),
};

const rateLimitHeaders = {
  'RateLimit-Policy': { description: 'The write quota of public-api, per author', schema: { type: 'string' } },
  RateLimit: { description: 'What is left of the quota and when it resets', schema: { type: 'string' } },
} as const;

const bodyProblemResponses = bodyProblems('The body is not valid');

/** The one operation served without a token. */
export const secureApiPublicOperations = {
  getOpenApiDocument: openApiDocumentOperation('This document (no token needed)'),
} as const satisfies OperationTable;

/** Every operation that needs `Authorization: Bearer <Firebase ID token>`. */
export const secureApiAuthenticatedOperations = {
  getMe: {
    method: 'get',
    path: '/me',
    summary: "The caller's profile",
    description:
      'A read never stores anything. Until the first PUT (or after a DELETE) there is no stored profile and the answer ' +
      "holds the defaults from the token: `displayName` is the token's name, else the email's local part; `bio` is " +
      'empty; `createdAt` and `updatedAt` are both the time of the answer.',
    security: idTokenRequired,
    tags: ['profile'],
    responses: {
      ...readResponses(),
      '200': json('The profile (stored, or the defaults when none is stored yet)', meSchema),
      ...authResponses,
    },
  },
  updateMe: {
    method: 'put',
    path: '/me',
    summary: 'Replace the editable profile; announced as testbed.profile.updated',
    security: idTokenRequired,
    tags: ['profile'],
    request: { body: profileChangesSchema },
    responses: {
      ...appResponses(),
      '200': json('The saved profile', meSchema),
      ...unprocessable(),
      ...authResponses,
      ...bodyProblemResponses,
    },
  },
  deleteMe: {
    method: 'delete',
    path: '/me',
    summary: 'Delete the profile (a later request starts a new one)',
    security: idTokenRequired,
    tags: ['profile'],
    responses: { ...appResponses(), '204': { description: 'Deleted, or there was nothing to delete' }, ...authResponses },
  },
  postMyMessage: {
    method: 'post',
    path: '/messages',
    summary: "Post a message as the caller; the author is the caller's profile",
    security: idTokenRequired,
    tags: ['messages'],
    request: { body: newMyMessageSchema },
    responses: {
      ...appResponses(),
      '201': json('Stored by public-api; its event will be delivered', signedInMessageSchema, {
        Location: { description: 'Where the public API serves the message', schema: { type: 'string' } },
      }),
      ...authResponses,
      ...bodyProblemResponses,
      ...unprocessable('public-api cannot store a value as given; `errors` names the field'),
      '429': problem('This author wrote too much; retry after `Retry-After` seconds', {
        ...retryAfterHeader,
        ...rateLimitHeaders,
      }),
    },
  },
  listMyActivity: {
    method: 'get',
    path: '/me/activity',
    summary: "The caller's own activity, newest first",
    security: idTokenRequired,
    tags: ['messages'],
    request: { query: pageQuery },
    responses: {
      ...readResponses(),
      '200': json('One page of activity', activityPageSchema),
      ...authResponses,
      '400': problem('A malformed limit or cursor, or more than one credential'),
    },
  },
} as const satisfies OperationTable;

export const secureApiOperations = { ...secureApiPublicOperations, ...secureApiAuthenticatedOperations };

/** The secure API's OpenAPI 3.1 document, served at `/api/secure/openapi.json`. */
export const secureApiDocument: oas31.OpenAPIObject = openApiDocument(
  {
    title: 'testbed secure API',
    version: '1.0.0',
    description:
      "The signed-in user's own data. Every operation except this document needs `Authorization: Bearer <Firebase ID token>`; " +
      'changing the profile needs a fresh sign-in (AUTHENTICATED), otherwise a 401 step-up challenge (RFC 9470). ' +
      'Errors are RFC 9457 problem details.',
    baseUrl: '/api/secure',
    securitySchemes: idTokenSecuritySchemes,
  },
  secureApiOperations,
);
