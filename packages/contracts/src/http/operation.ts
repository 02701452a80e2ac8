import type { z } from 'zod';
import { createDocument, type oas31, type ZodOpenApiObject, type ZodOpenApiResponseObject } from 'zod-openapi';

export type HttpMethod = 'get' | 'post' | 'put' | 'patch' | 'delete';

/**
 * One operation of an API: where it is served, what a request may carry and every answer it can
 * give. The services route and validate requests from these (service kit `routeOperations`) and
 * the OpenAPI document is generated from them (`openApiDocument`), so a route cannot exist
 * undocumented and a schema cannot differ between the validator and the document.
 */
export interface HttpOperation {
  readonly method: HttpMethod;
  /** OpenAPI path template relative to the API's base, e.g. `/messages/{id}`. */
  readonly path: string;
  readonly summary: string;
  /** Longer CommonMark text: what the operation does beyond its summary. */
  readonly description?: string;
  readonly tags: readonly string[];
  readonly request?: {
    readonly params?: z.ZodObject;
    readonly query?: z.ZodObject;
    readonly body?: z.ZodType;
  };
  /** Status code => answer; every status the operation can send, problem answers included. */
  readonly responses: Readonly<Record<string, ZodOpenApiResponseObject>>;
  /**
   * The credentials the operation needs (OpenAPI 3.1 Security Requirement Objects, by the names of
   * the API's `securitySchemes`); absent for an operation served without one.
   */
  readonly security?: readonly Readonly<Record<string, readonly string[]>>[];
}

/** An API's operations by operationId. */
export type OperationTable = Readonly<Record<string, HttpOperation>>;

export interface ApiInfo {
  readonly title: string;
  readonly version: string;
  readonly description: string;
  /** Where the gateway serves the API, e.g. `/api/public`. */
  readonly baseUrl: string;
  /** The credential schemes operations name in `security` (OpenAPI 3.1 `components.securitySchemes`). */
  readonly securitySchemes?: Readonly<Record<string, oas31.SecuritySchemeObject>>;
}

/** The OpenAPI 3.1 document of an operation table (JSON Schema 2020-12 schemas, components by zod `meta({ id })`). */
export function openApiDocument(info: ApiInfo, operations: OperationTable): oas31.OpenAPIObject {
  const paths: NonNullable<ZodOpenApiObject['paths']> = {};
  for (const [operationId, operation] of Object.entries(operations)) {
    const item = (paths[operation.path] ??= {});
    const { params, query, body } = operation.request ?? {};
    item[operation.method] = {
      operationId,
      summary: operation.summary,
      ...(operation.description ? { description: operation.description } : {}),
      tags: [...operation.tags],
      ...(params || query ? { requestParams: { ...(params ? { path: params } : {}), ...(query ? { query } : {}) } } : {}),
      ...(body ? { requestBody: { required: true, content: { 'application/json': { schema: body } } } } : {}),
      responses: operation.responses,
      ...(operation.security ? { security: operation.security.map(copyRequirement) } : {}),
    };
  }
  return createDocument({
    openapi: '3.1.0',
    info: { title: info.title, version: info.version, description: info.description },
    servers: [{ url: info.baseUrl }],
    paths,
    ...(info.securitySchemes ? { components: { securitySchemes: { ...info.securitySchemes } } } : {}),
  });
}

/** A mutable copy of a requirement, as the document's type wants (the tables are deeply readonly). */
const copyRequirement = (requirement: Readonly<Record<string, readonly string[]>>): Record<string, string[]> =>
  Object.fromEntries(Object.entries(requirement).map(([scheme, scopes]) => [scheme, [...scopes]]));
