/** What an request's `Authorization` values hold, before anything is verified. */
export type AuthorizationCredentials =
  | { readonly kind: 'missing' }
  /** More than one credential: several headers, or several joined into one by a proxy. */
  | { readonly kind: 'several' }
  | { readonly kind: 'malformed' }
  | { readonly kind: 'bearer'; readonly token: string };

// RFC 6750 §2.1: "Bearer" 1*SP b64token. A b64token has no comma, so a comma means a list.
const BEARER = /^Bearer +([A-Za-z0-9\-._~+/]+=*)$/i;

/**
 * Reads every `Authorization` value a request carried (HTTP headers or gRPC metadata entries).
 * More than one credential is refused rather than picking one: Node keeps only the first of
 * duplicate Authorization headers in `req.headers`, so "first wins" would let a proxy and a
 * client disagree about who is calling. RFC 6750 §3.1 calls that `invalid_request` (400).
 */
export function parseAuthorization(values: readonly string[]): AuthorizationCredentials {
  if (values.length === 0) return { kind: 'missing' };
  const [value] = values;
  if (values.length > 1 || value === undefined || value.includes(',')) return { kind: 'several' };
  const token = BEARER.exec(value.trim())?.[1];
  return token === undefined ? { kind: 'malformed' } : { kind: 'bearer', token };
}
