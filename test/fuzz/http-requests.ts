// What the fuzzer sends to one OpenAPI operation: its path with the path parameters filled, a
// query string, headers (bearer tokens valid and invalid among them) and a body of some content
// type, each part valid, shaped like the schema but wrong, or arbitrary.
import fc from 'fast-check';
import type { HttpMethod, JsonSchema, OpenApiDocument, OpenApiOperation, OpenApiParameter } from '@testbed/service-kit';
import { anyJson, nearMissValue, trickyString, validValue, type Components } from './schema-arbitraries.js';

/** One documented operation: its path template as the document writes it (e.g. `/messages/{id}`). */
export interface DocumentedOperation {
  readonly path: string;
  readonly method: HttpMethod;
  readonly operation: OpenApiOperation;
}

const METHODS: readonly HttpMethod[] = ['get', 'post', 'put', 'patch', 'delete'];

/** Every operation of `document`, in document order: new operations are fuzzed without a change here. */
export function documentedOperations(document: OpenApiDocument): DocumentedOperation[] {
  return Object.entries(document.paths).flatMap(([path, item]) =>
    METHODS.flatMap((method) => (item[method] ? [{ path, method, operation: item[method] }] : [])),
  );
}

/** A request ready to send; `target` is the path and query, to be appended to the base URL. */
export interface FuzzRequest {
  readonly method: string;
  readonly target: string;
  /** Header values; an array sends the header once per value. */
  readonly headers: Readonly<Record<string, string | readonly string[]>>;
  readonly body?: Buffer;
  /** For failure messages: which kind of token was sent. */
  readonly token: TokenKind;
}

/** The bearer tokens a case can carry. */
export type TokenKind = 'none' | 'valid' | 'garbage' | 'tampered' | 'unsigned' | 'two-headers' | 'other-scheme' | 'empty';

/** Where the fuzzer gets a token of a signed-in user that auth-service accepts. */
export interface TokenSource {
  /** A current ID token (from the Firebase Auth emulator in tests). */
  validToken(): string;
}

/** Header values Node's client accepts: visible Latin-1 and spaces, no CR/LF. */
const headerValue = (maxLength = 60): fc.Arbitrary<string> =>
  fc.string({
    unit: fc
      .integer({ min: 0x20, max: 0xff })
      .filter((c) => c !== 0x7f)
      .map((c) => String.fromCharCode(c)),
    maxLength,
  });

const base64url = (text: string) => Buffer.from(text).toString('base64url');

/** A JWT-shaped token whose payload was changed after issue (its signature no longer matches). */
function tampered(token: string): string {
  const [header = '', payload = '', signature = ''] = token.split('.');
  try {
    const claims = JSON.parse(Buffer.from(payload, 'base64url').toString()) as Record<string, unknown>;
    return [header, base64url(JSON.stringify({ ...claims, user_id: 'someone-else', sub: 'someone-else' })), signature].join('.');
  } catch {
    return `${token}x`;
  }
}

const unsignedToken = fc
  .record({ sub: trickyString({ maxLength: 10 }), exp: fc.integer({ min: 0, max: 2 ** 40 }), aud: fc.string({ maxLength: 10 }) })
  .map((claims) => `${base64url(JSON.stringify({ alg: 'none', typ: 'JWT' }))}.${base64url(JSON.stringify(claims))}.`);

/** The Authorization header(s) of one case, if any. */
function authorization(kind: TokenKind, tokens: TokenSource): fc.Arbitrary<string | readonly string[] | undefined> {
  switch (kind) {
    case 'none':
      return fc.constant(undefined);
    case 'valid':
      return fc.constantFrom('Bearer ', 'bearer ', 'Bearer  ').map((scheme) => `${scheme}${tokens.validToken()}`);
    case 'garbage':
      return headerValue(200).map((value) => `Bearer ${value}`);
    case 'tampered':
      return fc.constant(`Bearer ${tampered(tokens.validToken())}`);
    case 'unsigned':
      return unsignedToken.map((token) => `Bearer ${token}`);
    case 'two-headers':
      return fc.constant([`Bearer ${tokens.validToken()}`, `Bearer ${tokens.validToken()}`]);
    case 'other-scheme':
      return fc.constantFrom('Basic dXNlcjpwYXNz', `Token ${tokens.validToken()}`, 'Bearer', 'Negotiate ', tokens.validToken());
    case 'empty':
      return fc.constant('');
  }
}

const tokenKind = fc.oneof(
  { weight: 6, arbitrary: fc.constant<TokenKind>('valid') },
  { weight: 4, arbitrary: fc.constantFrom<TokenKind>('none', 'garbage', 'tampered', 'unsigned', 'two-headers', 'other-scheme', 'empty') },
);

/** A path parameter as it goes into the URL: valid, near miss or arbitrary, usually percent-encoded. */
function pathSegment(parameter: OpenApiParameter, components: Components): fc.Arbitrary<string> {
  const value = fc.oneof(
    { weight: 3, arbitrary: validValue(parameter.schema, components).map(String) },
    { weight: 2, arbitrary: nearMissValue(parameter.schema, components).map((v) => (typeof v === 'string' ? v : (JSON.stringify(v) ?? ''))) },
    { weight: 2, arbitrary: trickyString({ maxLength: 60 }) },
  );
  // Never empty: `/messages/` is another operation's URL (the list), not this one with an empty id.
  return fc.oneof(
    { weight: 5, arbitrary: value.map(uriComponent).filter((segment) => segment !== '') },
    // As sent by a careless client: raw characters Node's client still lets through, broken escapes.
    { weight: 1, arbitrary: fc.constantFrom('%', '%zz', '%E0%A4%A', '%00', '%2F', '..', '%2e%2e', ';x=1', 'a'.repeat(5_000), '%ed%a0%80') },
  );
}

/** Percent-encoded; encodeURIComponent throws on a lone surrogate, so those become U+FFFD first. */
const uriComponent = (text: string): string =>
  encodeURIComponent(text.replace(/[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/g, '\ufffd'));

/** One query parameter, or a few of them: documented ones with valid, wrong or repeated values, and unknown ones. */
function queryPairs(parameters: readonly OpenApiParameter[], components: Components): fc.Arbitrary<string[]> {
  const encode = (name: string, value: unknown) => `${uriComponent(name)}=${uriComponent(typeof value === 'string' ? value : (JSON.stringify(value) ?? ''))}`;
  const documented = parameters
    .filter((p) => p.in === 'query')
    .map((parameter) =>
      fc.oneof(
        validValue(parameter.schema, components).map((v) => [encode(parameter.name, String(v))]),
        nearMissValue(parameter.schema, components).map((v) => [encode(parameter.name, v)]),
        // Repeated (an array to the query parser), bracketed, empty.
        fc
          .tuple(validValue(parameter.schema, components), validValue(parameter.schema, components))
          .map(([a, b]) => [encode(parameter.name, String(a)), encode(parameter.name, String(b))]),
        fc.constantFrom(`${parameter.name}[]=1`, `${parameter.name}[a]=b`, `${parameter.name}=`, parameter.name).map((raw) => [raw]),
      ),
    );
  const unknown = fc.tuple(trickyString({ maxLength: 10 }), trickyString({ maxLength: 20 })).map(([k, v]) => [encode(k, v)]);
  const raw = fc.constantFrom('%', '%zz=1', '&&&', '=', '?', '#x').map((r) => [r]);
  return fc
    .array(
      fc.oneof(
        { weight: 4, arbitrary: documented.length > 0 ? fc.oneof(...documented) : unknown },
        { weight: 1, arbitrary: unknown },
        { weight: 1, arbitrary: raw },
      ),
      {
        maxLength: 3,
      },
    )
    .map((groups) => groups.flat());
}

interface Body {
  readonly contentType?: string;
  readonly bytes: Buffer;
}

const json = (value: unknown) => Buffer.from(JSON.stringify(value) ?? 'null');

const contentTypeForJson = fc.oneof(
  { weight: 6, arbitrary: fc.constant('application/json') },
  {
    weight: 1,
    arbitrary: fc.constantFrom(
      'application/json; charset=utf-8',
      'application/json; charset=utf-16',
      'application/json; charset=latin1',
      'application/json; charset=bogus',
      'application/merge-patch+json',
      'APPLICATION/JSON',
      'application/json;',
      'application/json; boundary=x',
    ),
  },
);

const otherContentType = fc.oneof(
  fc.constantFrom('text/plain', 'application/x-www-form-urlencoded', 'multipart/form-data; boundary=x', 'application/xml', '*/*', 'json', ';', ''),
  headerValue(40),
);

/** A body for an operation that takes one: valid, near miss, any JSON, not JSON, malformed, oversize; in some content type. */
function requestBody(schema: JsonSchema | undefined, components: Components): fc.Arbitrary<Body | undefined> {
  const shaped = schema ?? {};
  const jsonBody = fc.oneof(
    { weight: 4, arbitrary: validValue(shaped, components).map(json) },
    { weight: 5, arbitrary: nearMissValue(shaped, components).map(json) },
    { weight: 2, arbitrary: anyJson.map(json) },
    {
      weight: 1,
      arbitrary: fc
        .constantFrom(
          '{"unfinished":',
          '{"text":"a",}',
          "{'text':'a'}",
          '',
          ' ',
          'null',
          '[]',
          '"text"',
          '{"text":"\\ud800"}',
          '{"text":"a","text":"b"}',
          '{"__proto__":{"polluted":true},"text":"x"}',
          `${'['.repeat(5_000)}${']'.repeat(5_000)}`,
          '1e99999',
        )
        .map((text) => Buffer.from(text)),
    },
    // Over the 16 KiB body limit.
    { weight: 1, arbitrary: fc.integer({ min: 16 * 1024 + 1, max: 40 * 1024 }).map((size) => json({ text: 'a'.repeat(size) })) },
    // Not UTF-8.
    { weight: 1, arbitrary: fc.uint8Array({ maxLength: 64 }).map((bytes) => Buffer.from(bytes)) },
  );
  return fc.oneof(
    { weight: 8, arbitrary: fc.record({ contentType: contentTypeForJson, bytes: jsonBody }) },
    { weight: 1, arbitrary: fc.record({ contentType: otherContentType, bytes: jsonBody }) },
    { weight: 1, arbitrary: fc.record({ bytes: jsonBody }) },
    { weight: 1, arbitrary: fc.constant(undefined) },
  );
}

/** Headers besides Authorization and Content-Type that the stack reads or might trip over. */
const extraHeaders: fc.Arbitrary<Record<string, string>> = fc.dictionary(
  fc.constantFrom(
    'accept',
    'accept-encoding',
    'accept-language',
    'content-encoding',
    'x-request-id',
    'traceparent',
    'tracestate',
    'x-forwarded-for',
    'x-forwarded-proto',
    'if-none-match',
    'if-modified-since',
    'range',
    'origin',
    'cookie',
    'x-http-method-override',
  ),
  fc.oneof(
    headerValue(80),
    fc.constantFrom(
      'gzip',
      'deflate, br',
      'identity',
      '*/*',
      'application/problem+json',
      'text/html',
      '00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01',
      '00-00000000000000000000000000000000-0000000000000000-01',
      'ff-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01',
      '1.2.3.4, 5.6.7.8',
      'not an ip',
      '"etag"',
      '*',
      'bytes=0-1',
      'DELETE',
      'x'.repeat(2_000),
    ),
  ),
  { maxKeys: 4 },
);

/**
 * Requests to `operation`: mostly schema-shaped (valid or near miss), some arbitrary. Operations
 * without a request body get one now and then too, since any client may send one.
 */
export function requestsFor({ path, method, operation }: DocumentedOperation, document: OpenApiDocument, tokens: TokenSource): fc.Arbitrary<FuzzRequest> {
  const components = document.components.schemas;
  const parameters = operation.parameters ?? [];
  const pathParameters = parameters.filter((p) => p.in === 'path');
  const segments = fc.record(Object.fromEntries(pathParameters.map((p) => [p.name, pathSegment(p, components)])));
  const bodySchema = operation.requestBody?.content['application/json']?.schema;
  const body = operation.requestBody
    ? requestBody(bodySchema, components)
    : fc.oneof({ weight: 5, arbitrary: fc.constant(undefined) }, { weight: 1, arbitrary: requestBody(undefined, components) });
  return fc
    .record({
      segments,
      query: queryPairs(parameters, components),
      kind: tokenKind,
      extra: extraHeaders,
      body,
    })
    .chain(({ segments: filled, query, kind, extra, body: sent }) =>
      authorization(kind, tokens).map((auth): FuzzRequest => {
        const headers: Record<string, string | readonly string[]> = { ...extra };
        if (auth !== undefined) headers['authorization'] = auth;
        if (sent?.contentType !== undefined) headers['content-type'] = sent.contentType;
        const filledPath = path.replace(/\{(\w+)\}/g, (_, name: string) => filled[name] ?? '');
        return {
          method: method.toUpperCase(),
          target: query.length > 0 ? `${filledPath}?${query.join('&')}` : filledPath,
          headers,
          ...(sent ? { body: sent.bytes } : {}),
          token: kind,
        };
      }),
    );
}
