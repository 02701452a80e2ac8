// The HTTP contracts of public-api, secure-api and event-consumer's read API: zod schemas and operation tables, and the
// OpenAPI 3.1 documents generated from them. Clients take their types from ./generated (the
// `@testbed/contracts/http/types` entry), which `pnpm openapi:gen` writes from these documents.
export * from './operation.js';
export * from './problem.js';
export * from './common.js';
export * from './public-api.js';
export * from './secure-api.js';
export * from './read-models-api.js';
