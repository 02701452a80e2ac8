import { PROBLEM_CONTENT_TYPE } from './problem.js';

/** The parts of OpenAPI 3.1 the services' documents use; schemas are JSON Schema 2020-12. */
export type JsonSchema = Readonly<Record<string, unknown>>;

export type HttpMethod = 'get' | 'post' | 'put' | 'patch' | 'delete';

export interface OpenApiResponse {
  readonly description: string;
  readonly headers?: Readonly<Record<string, { readonly description?: string; readonly schema: JsonSchema }>>;
  readonly content?: Readonly<Record<string, { readonly schema: JsonSchema }>>;
}

export interface OpenApiParameter {
  readonly name: string;
  readonly in: 'query' | 'path' | 'header';
  readonly required?: boolean;
  readonly description?: string;
  readonly schema: JsonSchema;
}

export interface OpenApiOperation {
  readonly operationId: string;
  readonly summary: string;
  /** Longer CommonMark text: what the operation does beyond its summary. */
  readonly description?: string;
  readonly tags?: readonly string[];
  readonly parameters?: readonly OpenApiParameter[];
  readonly requestBody?: {
    readonly required: boolean;
    readonly content: Readonly<Record<string, { readonly schema: JsonSchema }>>;
  };
  readonly responses: Readonly<Record<string, OpenApiResponse>>;
}

export interface OpenApiDocument {
  readonly openapi: '3.1.0';
  readonly info: { readonly title: string; readonly version: string; readonly description?: string };
  readonly servers?: readonly { readonly url: string }[];
  readonly paths: Readonly<Record<string, Partial<Record<HttpMethod, OpenApiOperation>>>>;
  readonly components: { readonly schemas: Readonly<Record<string, JsonSchema>> };
}

// Pieces every service's document shares, so the error shape is described once.

export const schemaRef = (name: string): JsonSchema => ({ $ref: `#/components/schemas/${name}` });

export const jsonContent = (schema: JsonSchema) => ({ 'application/json': { schema } });

/** An error answer: RFC 9457 problem details, as sendProblem writes them. Needs `Problem` in the components. */
export const problemResponse = (description: string, headers?: OpenApiResponse['headers']): OpenApiResponse => ({
  description,
  ...(headers ? { headers } : {}),
  content: { [PROBLEM_CONTENT_TYPE]: { schema: schemaRef('Problem') } },
});

/** What createHttpApp answers to a bad JSON body, whatever the route; `invalid` says what the 400 means here. */
export const bodyProblemResponses = (invalid: string): Readonly<Record<string, OpenApiResponse>> => ({
  '400': problemResponse(invalid),
  '413': problemResponse('The body is larger than 16 KiB'),
  '415': problemResponse('The body is not application/json'),
});

/**
 * What createHttpApp answers on any route before or after the route's own code: a body it refuses
 * (any method may carry one: 400 malformed JSON, 413, 415), a request too large to read (431) and
 * an unexpected failure (500).
 * Operations spread these first and their own responses after, so a specific 400 wins.
 */
export const appResponses = (): Readonly<Record<string, OpenApiResponse>> => ({
  ...bodyProblemResponses('The body is not valid JSON'),
  // Node's parser refuses a request line and headers over 16 KiB (a long query string included) before
  // any route runs; listenHttp answers it as a problem (found by the fuzz suite).
  '431': problemResponse('The URL and headers together are larger than 16 KiB'),
  '500': problemResponse('An unexpected failure; report the `requestId`'),
});

/**
 * What createHttpApp answers on any GET route: appResponses() and 304 Not Modified, which Express
 * sends instead of a 2xx when the request's If-None-Match (`*` included) or If-Modified-Since says
 * the client already has the representation (RFC 9110 §13.1.2, §15.4.5). GET operations spread
 * these instead of appResponses().
 */
export const readResponses = (): Readonly<Record<string, OpenApiResponse>> => ({
  ...appResponses(),
  '304': { description: 'Not modified: the client already has this representation (If-None-Match or If-Modified-Since); no body' },
});

/** A dependency (database, another service) that is down or too slow: worth retrying after `Retry-After` seconds. */
export const unavailableResponse = (description: string): OpenApiResponse =>
  problemResponse(description, { 'Retry-After': { description: 'Seconds to wait before retrying', schema: { type: 'integer' } } });

/**
 * What any operation that reads or writes a datastore can answer when it is down, hung or overloaded
 * (errors.ts classifyFailure): 503 with Retry-After.
 */
export const dependencyProblemResponses = (): Readonly<Record<string, OpenApiResponse>> => ({
  '503': unavailableResponse('A datastore it needs is down, hung or overloaded; retry after `Retry-After` seconds'),
});

/** A write whose values the database cannot store as given (422, with the field in `errors`). */
export const unprocessableResponse = (): Readonly<Record<string, OpenApiResponse>> => ({
  '422': problemResponse('A value cannot be stored as given; `errors` names the field'),
});

/** GET /openapi.json, which serves the document itself. */
export const openApiDocumentOperation = (summary: string): OpenApiOperation => ({
  operationId: 'getOpenApiDocument',
  summary,
  tags: ['operations'],
  responses: { ...readResponses(), '200': { description: 'The OpenAPI 3.1 document', content: jsonContent({ type: 'object' }) } },
});

/** The `Problem` component: the body of every error answer (see ./problem.ts). */
export const problemSchema: JsonSchema = {
  type: 'object',
  description: 'RFC 9457 problem details',
  required: ['type', 'title', 'status', 'detail'],
  properties: {
    type: { type: 'string' },
    title: { type: 'string' },
    status: { type: 'integer' },
    detail: { type: 'string' },
    instance: { type: 'string' },
    requestId: { type: 'string' },
    errors: {
      type: 'array',
      items: {
        type: 'object',
        required: ['path', 'message'],
        properties: { path: { type: 'string' }, message: { type: 'string' } },
      },
    },
  },
};

/** One page of a list paged with an opaque cursor: `{ items, nextCursor }`, as the services' list routes answer. */
export const pageSchema = (itemSchemaName: string): JsonSchema => ({
  type: 'object',
  additionalProperties: false,
  required: ['items', 'nextCursor'],
  properties: {
    items: { type: 'array', items: schemaRef(itemSchemaName) },
    nextCursor: { type: ['string', 'null'], description: 'null on the last page' },
  },
});
