import { plainTextProblem, type PlainTextOptions } from '@testbed/text';
import { z } from 'zod';
import type {} from 'zod-openapi';
import type { HttpOperation } from './operation.js';
import { json, readResponses } from './problem.js';

export const PAGE_LIMIT_DEFAULT = 20;
export const PAGE_LIMIT_MAX = 100;

/**
 * `?limit=&cursor=` of every newest-first list. Query values arrive as strings; only plain decimal
 * digits count as a number ("1e1", " 5" do not). The cursor is opaque here: the API that issued
 * it decodes it. Unknown parameters are a mistake worth reporting.
 */
export const pageQuery = z.strictObject({
  limit: z
    .string()
    .regex(/^\d{1,3}$/, `must be a whole number from 1 to ${PAGE_LIMIT_MAX}`)
    .transform(Number)
    .pipe(z.number().int().min(1).max(PAGE_LIMIT_MAX))
    .default(PAGE_LIMIT_DEFAULT)
    .meta({
      description: 'Items per page.',
      // The wire value is a string of digits; describe the number it must spell.
      override: ({ jsonSchema }: { jsonSchema: Record<string, unknown> }) => {
        for (const key of Object.keys(jsonSchema)) delete jsonSchema[key];
        Object.assign(jsonSchema, { type: 'integer', minimum: 1, maximum: PAGE_LIMIT_MAX, default: PAGE_LIMIT_DEFAULT });
      },
    }),
  cursor: z.string().optional().meta({ description: 'The `nextCursor` of the previous page; opaque.' }),
});

/**
 * Text a user types (a message, a name, a bio): refuses a lone UTF-16 surrogate, which no UTF-8
 * store can keep as sent, and control characters (a text box may hold tab and line breaks). Apply it
 * to request fields only: an answer carries what is stored. Rules: @testbed/text `plainTextProblem`.
 */
export const plainText = (schema: z.ZodString, options: PlainTextOptions = {}): z.ZodString =>
  schema.refine((value) => plainTextProblem(value, options) === undefined, {
    error: (issue) => `must be plain text: it ${plainTextProblem(String(issue.input), options) ?? 'is not'}`,
  });

/**
 * The one credential of this app's APIs: a Firebase ID token (a JWT signed by Google, verified by
 * auth-service) sent as `Authorization: Bearer <token>` (RFC 6750 section 2.1).
 */
export const idTokenSecuritySchemes = {
  firebaseIdToken: {
    type: 'http',
    scheme: 'bearer',
    bearerFormat: 'JWT',
    description: 'A Firebase ID token of the signed-in user (RFC 6750 bearer token), verified by auth-service on every request',
  },
} as const;

/** `security` of an operation that needs the signed-in user's ID token. */
export const idTokenRequired = [{ firebaseIdToken: [] }] as const;

/** One page of a list paged with an opaque cursor: `{ items, nextCursor }`. */
export const pageOf = <T extends z.ZodType>(item: T, id: string) =>
  z
    .strictObject({
      items: z.array(item),
      nextCursor: z.string().nullable().meta({ description: 'null on the last page' }),
    })
    .meta({ id });

/** GET /openapi.json, which serves the API's own document. */
export const openApiDocumentOperation = (summary: string): HttpOperation => ({
  method: 'get',
  path: '/openapi.json',
  summary,
  tags: ['operations'],
  responses: {
    ...readResponses(),
    '200': { description: 'The OpenAPI 3.1 document', content: { 'application/json': { schema: { type: 'object' } } } },
  },
});

export const healthSchema = z.looseObject({ status: z.literal('ok') }).meta({ id: 'Health' });

/** GET /healthz through the gateway. */
export const healthOperation: HttpOperation = {
  method: 'get',
  path: '/healthz',
  summary: 'Liveness through the gateway; answers without touching any dependency',
  tags: ['operations'],
  responses: { ...readResponses(), '200': json('The process is up', healthSchema) },
};

/** One line of the activity feed, written by event-consumer from an event. */
export const activitySchema = z
  .strictObject({
    id: z.string(),
    type: z.string().meta({ description: 'The CloudEvents type, e.g. testbed.message.posted' }),
    actorUid: z.string().nullable().meta({ description: 'Who did it; null for anonymous posts' }),
    summary: z.string(),
    occurredAt: z.iso.datetime(),
  })
  .meta({ id: 'Activity' });

export const activityPageSchema = pageOf(activitySchema, 'ActivityPage');
