// The clients' view of the HTTP APIs: openapi-typescript's types of the generated OpenAPI
// documents, for openapi-fetch. Types only, so a browser bundle that imports them carries nothing.
export type { paths as PublicApiPaths, components as PublicApiComponents } from './generated/public-api.js';
export type { paths as SecureApiPaths, components as SecureApiComponents } from './generated/secure-api.js';
export type { paths as InternalApiPaths, components as InternalApiComponents } from './generated/internal-api.js';
export type { paths as ReadModelsApiPaths, components as ReadModelsApiComponents } from './generated/read-models-api.js';
