import type { Request, RequestHandler, Response, Router } from 'express';
import { z } from 'zod';
import { AppError } from '../errors.js';
import { throwBodyProblem } from './body.js';
import { parseRequest } from './validate.js';

// The services' OpenAPI documents are generated from their operation tables in @testbed/contracts/http.
// This module holds the other half: routing a table, so every operation is served exactly as
// documented and nothing is served that is not documented; and the document's shape, for the
// tests that read a served document (test/fuzz, testing/openapi.ts).

/** The parts of OpenAPI 3.1 the tests read from a served document; schemas are JSON Schema 2020-12. */
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
  readonly openapi: string;
  readonly info: { readonly title: string; readonly version: string; readonly description?: string };
  readonly servers?: readonly { readonly url: string }[];
  readonly paths: Readonly<Record<string, Partial<Record<HttpMethod, OpenApiOperation>>>>;
  readonly components: { readonly schemas: Readonly<Record<string, JsonSchema>> };
}

/**
 * A generated document (zod-openapi's `OpenAPIObject`) seen through the shape above; throws when
 * it is not OpenAPI 3.1 or has no schema components.
 */
export function asOpenApiDocument(document: object): OpenApiDocument {
  const candidate = document as Partial<OpenApiDocument>;
  if (candidate.openapi !== '3.1.0' || !candidate.paths || !candidate.components?.schemas) {
    throw new Error('not an OpenAPI 3.1 document with schema components');
  }
  return candidate as OpenApiDocument;
}

/**
 * What routing needs of an operation (structurally the contracts' `HttpOperation`): where it is
 * served and the zod schemas of the request parts it reads.
 */
export interface RoutedOperation {
  readonly method: HttpMethod;
  /** OpenAPI path template, e.g. `/messages/{id}`. */
  readonly path: string;
  readonly request?: { readonly params?: z.ZodType; readonly query?: z.ZodType; readonly body?: z.ZodType };
}

type Parsed<O, Part extends string> = O extends { readonly request: { readonly [K in Part]: infer S extends z.ZodType } } ? z.output<S> : undefined;

/** The validated request parts of operation `O`; a part the operation does not declare is undefined. */
export interface OperationInput<O> {
  readonly params: Parsed<O, 'params'>;
  readonly query: Parsed<O, 'query'>;
  readonly body: Parsed<O, 'body'>;
}

export type OperationHandle<O> = (input: OperationInput<O>, req: Request, res: Response) => unknown;

/**
 * Serves one operation: `handle` gets the validated request. `before` runs ahead of validation
 * (authentication, a rate limit that counts every attempt), `after` between validation and
 * `handle` (a limit that must not charge a rejected body).
 */
export type OperationHandler<O> =
  | OperationHandle<O>
  | {
      readonly before?: readonly RequestHandler[];
      readonly after?: readonly RequestHandler[];
      readonly handle: OperationHandle<O>;
    };

/** The query of an operation that declares none: empty. */
const NO_QUERY = z.strictObject({});

const inputs = new WeakMap<Response, { params: unknown; query: unknown; body: unknown }>();

/**
 * Routes every operation of `operations` (an API's table by operationId) on `router`, in table
 * order, with the handler of the same operationId. The handlers' type requires exactly one per
 * operation, so a documented operation cannot go unserved and no route exists outside the table.
 * Each declared request part is parsed with its schema first, after `before`; a mismatch is a
 * 400 problem that lists every field (parseRequest). A body-less request is validated as `{}`, so
 * the answer names the missing fields; an operation without a query schema takes no query
 * parameters. A body the app could not read (415, 413, malformed JSON or UTF-8) is answered at the
 * same point (body.ts). Any other method on a table's path is a 405 with `Allow`.
 */
export function routeOperations<T extends Readonly<Record<string, RoutedOperation>>>(
  router: Router,
  operations: T,
  handlers: { readonly [K in keyof T]: OperationHandler<T[K]> },
): void {
  for (const [operationId, operation] of Object.entries(operations)) {
    const handler = handlers[operationId as keyof T] as OperationHandler<unknown>;
    const { before = [], after = [], handle } = typeof handler === 'function' ? { handle: handler } : handler;
    const { params, query, body } = operation.request ?? {};
    const validate: RequestHandler = (req, res, next) => {
      // After `before` (authentication, a limit counting every attempt): a body problem answers only now.
      throwBodyProblem(req);
      inputs.set(res, {
        params: params ? parseRequest(params, req.params, 'params') : undefined,
        // An operation without query parameters takes none: an unknown one is a mistake worth reporting, as in pageQuery.
        query: query ? parseRequest(query, req.query, 'query') : void parseRequest(NO_QUERY, req.query, 'query'),
        body: body ? parseRequest(body, req.body ?? {}, 'body') : undefined,
      });
      next();
    };
    const run: RequestHandler = async (req, res) => {
      await handle(inputs.get(res) as unknown as OperationInput<unknown>, req, res);
    };
    router[operation.method](expressPath(operation.path), ...before, validate, ...after, run);
  }
  refuseOtherMethods(router, Object.values(operations));
}

/** The paths each router already answers 405 on, so a later table cannot add a method there unseen. */
const closedPaths = new WeakMap<Router, Set<string>>();

/**
 * After a table's routes: any other method on one of its paths is a 405 problem with `Allow`
 * (RFC 9110 section 15.5.6), not a 404 that would say the resource does not exist. GET implies
 * HEAD, as Express serves it. Throws at start-up when a path is split across two tables of one router.
 */
function refuseOtherMethods(router: Router, operations: readonly RoutedOperation[]): void {
  const closed = closedPaths.get(router) ?? new Set<string>();
  closedPaths.set(router, closed);
  const methodsByPath = new Map<string, Set<string>>();
  for (const { method, path } of operations) {
    if (closed.has(path))
      throw new Error(`${method.toUpperCase()} ${path}: an earlier table on this router already serves ${path}; keep a path's operations in one table`);
    const methods = methodsByPath.get(path) ?? new Set<string>();
    methods.add(method.toUpperCase());
    if (method === 'get') methods.add('HEAD');
    methodsByPath.set(path, methods);
  }
  for (const [path, methods] of methodsByPath) {
    const allow = [...methods].join(', ');
    router.all(expressPath(path), (req) => {
      throw new AppError('method-not-allowed', `${req.method} is not allowed here; use ${allow}`, { headers: { Allow: allow } });
    });
    closed.add(path);
  }
}

/** OpenAPI `{param}` to Express `:param`. */
const expressPath = (template: string): string => template.replace(/\{(\w+)\}/g, ':$1');
