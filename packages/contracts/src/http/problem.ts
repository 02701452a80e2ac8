import { z } from 'zod';
import type { ZodOpenApiResponseObject } from 'zod-openapi';

/** RFC 9457 problem details; the media type of every error answer. */
export const PROBLEM_CONTENT_TYPE = 'application/problem+json';

/** The body of every error answer, as the service kit's sendProblem writes it. */
export const problemSchema = z
  // Open, as RFC 9457 §3.2 allows extension members.
  .looseObject({
    type: z.string(),
    title: z.string(),
    status: z.int(),
    detail: z.string(),
    instance: z.string().optional(),
    requestId: z.string().optional(),
    errors: z.array(z.looseObject({ path: z.string(), message: z.string() })).optional(),
  })
  .meta({ id: 'Problem', description: 'RFC 9457 problem details' });

type Headers = Readonly<Record<string, { readonly description?: string; readonly schema: Readonly<Record<string, unknown>> }>>;

export const retryAfterHeader = {
  'Retry-After': { description: 'Seconds to wait before retrying', schema: { type: 'integer' } },
} as const;

/** An error answer: a problem+json body, optionally with headers. */
export const problem = (description: string, headers?: Headers): ZodOpenApiResponseObject => ({
  description,
  ...(headers ? { headers: { ...headers } } : {}),
  content: { [PROBLEM_CONTENT_TYPE]: { schema: problemSchema } },
});

/** A JSON answer with a body of `schema`. */
export const json = (description: string, schema: z.ZodType, headers?: Headers): ZodOpenApiResponseObject => ({
  description,
  ...(headers ? { headers: { ...headers } } : {}),
  content: { 'application/json': { schema } },
});

/** What the service kit's HTTP app answers to a body it refuses; `invalid` says what the 400 means here. */
export const bodyProblems = (invalid: string): Record<string, ZodOpenApiResponseObject> => ({
  '400': problem(invalid),
  '413': problem('The body is larger than 16 KiB'),
  '415': problem('The body is not application/json'),
});

/**
 * What the service kit's HTTP app answers on any route before or after the route's own code: a body
 * it refuses (any method may carry one: 400 malformed JSON, 413, 415), a request too large to read
 * (431: Node's parser refuses a request line and headers over 16 KiB, a long query string
 * included, before any route runs; found by the fuzz suite) and an unexpected failure (500).
 * Operations spread these first and their own responses after, so a specific 400 wins.
 */
export const appResponses = (): Record<string, ZodOpenApiResponseObject> => ({
  ...bodyProblems('The body is not valid JSON, or the query has a parameter the operation does not take'),
  '431': problem('The URL and headers together are larger than 16 KiB'),
  '500': problem('An unexpected failure; report the `requestId`'),
});

/**
 * What the HTTP app answers on any GET route: appResponses() and 304 Not Modified, which Express
 * sends instead of a 2xx when the request's If-None-Match (`*` included) or If-Modified-Since says
 * the client already has the representation (RFC 9110 §13.1.2, §15.4.5).
 */
export const readResponses = (): Record<string, ZodOpenApiResponseObject> => ({
  ...appResponses(),
  '304': { description: 'Not modified: the client already has this representation (If-None-Match or If-Modified-Since); no body' },
});

/** A dependency (database, another service) that is down or too slow: worth retrying after `Retry-After` seconds. */
export const unavailable = (description: string): ZodOpenApiResponseObject => problem(description, retryAfterHeader);

/** What any operation that reads or writes a datastore can answer when it is down, hung or overloaded: 503 with Retry-After. */
export const dependencyProblems = (): Record<string, ZodOpenApiResponseObject> => ({
  '503': unavailable('A datastore it needs is down, hung or overloaded; retry after `Retry-After` seconds'),
});

/** A write whose values the database cannot store as given (422, with the field in `errors`). */
export const unprocessable = (description = 'A value cannot be stored as given; `errors` names the field') => ({
  '422': problem(description),
});
