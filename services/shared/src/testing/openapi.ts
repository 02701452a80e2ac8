import { Ajv2020, type ValidateFunction } from 'ajv/dist/2020.js';
import addFormatsModule from 'ajv-formats';
import { request } from 'node:http';
import type { HttpMethod, JsonSchema, OpenApiDocument } from '../http/openapi.js';

// ajv-formats is CommonJS with a default export; under NodeNext it arrives wrapped.
const addFormats = addFormatsModule as unknown as (ajv: Ajv2020) => Ajv2020;

export const HTTP_METHODS: readonly HttpMethod[] = ['get', 'post', 'put', 'patch', 'delete'];

export interface CheckedResponse {
  /** The parsed JSON body, or undefined when there was none. */
  readonly body: unknown;
  /** Why the response does not match the document; empty when it does. */
  readonly problems: string[];
}

/**
 * Checks real responses against a document: the status must be documented for the operation, the
 * content type too, and the body must validate (ajv, JSON Schema 2020-12 with formats) against the
 * documented schema, `$ref`s into `components` included.
 */
export class OpenApiResponseChecker {
  private readonly ajv = new Ajv2020({ strict: false, allErrors: true });
  private readonly compiled = new Map<string, ValidateFunction>();

  constructor(private readonly document: OpenApiDocument) {
    addFormats(this.ajv);
    this.ajv.addSchema({ $id: 'openapi.json', components: document.components });
  }

  /** `path` is the document's path template, e.g. "/messages/{id}". Reads the response body. */
  async check(path: string, method: HttpMethod, response: Response): Promise<CheckedResponse> {
    const text = await response.text();
    const body: unknown = text === '' ? undefined : JSON.parse(text);
    const contentType = (response.headers.get('content-type') ?? '').split(';')[0]?.trim() ?? '';
    return { body, problems: this.problemsOf(path, method, response.status, contentType, body) };
  }

  problemsOf(path: string, method: HttpMethod, status: number, contentType: string, body: unknown): string[] {
    const where = `${method.toUpperCase()} ${path} ${status}`;
    const operation = this.document.paths[path]?.[method];
    if (!operation) return [`${method.toUpperCase()} ${path} is not documented`];
    const documented = operation.responses[String(status)];
    if (!documented) return [`${where} is not a documented status`];
    if (!documented.content) return body === undefined ? [] : [`${where} documents no body but one was sent`];
    const schema = documented.content[contentType]?.schema;
    if (!schema) return [`${where} does not document content type "${contentType}"`];
    const validate = this.validatorFor(schema);
    return validate(body) ? [] : [`${where}: ${this.ajv.errorsText(validate.errors)}`];
  }

  private validatorFor(schema: JsonSchema): ValidateFunction {
    // Schemas point into components with local refs; resolve them against the registered document.
    const key = JSON.stringify(schema);
    let validate = this.compiled.get(key);
    if (!validate) {
      const rebased = JSON.parse(key.replaceAll('"#/components/', '"openapi.json#/components/')) as JsonSchema;
      validate = this.ajv.compile(rebased);
      this.compiled.set(key, validate);
    }
    return validate;
  }
}

/**
 * Sends every operation of `document` the requests any client may send whatever the operation:
 * a body that is not JSON and a body that is malformed JSON, and to every GET a conditional
 * request with `If-None-Match: *` (`{param}`s filled with a random UUID); returns the answers the
 * document does not describe, empty when it covers them all.
 */
export async function undocumentedGenericAnswers(
  checker: OpenApiResponseChecker,
  document: OpenApiDocument,
  baseUrl: string,
  headers: Record<string, string> = {},
): Promise<string[]> {
  const problems: string[] = [];
  for (const [path, item] of Object.entries(document.paths)) {
    for (const method of HTTP_METHODS) {
      if (!item[method]) continue;
      const url = `${baseUrl}${path.replace(/\{\w+\}/g, () => crypto.randomUUID())}`;
      for (const [contentType, body] of [
        ['text/plain', 'not json'],
        ['application/json', '{"unfinished":'],
      ] as const) {
        const response = await sendWithBody(url, method.toUpperCase(), { ...headers, 'content-type': contentType }, body);
        problems.push(...(await checker.check(path, method, response)).problems.map((p) => `${p} (${contentType} body)`));
      }
      if (method === 'get') {
        // A conditional GET that matches whatever the server has (found by the fuzz suite: Express
        // answers 304). Not fetch: it adds `Cache-Control: no-cache`, which makes Express ignore it.
        const response = await sendWithBody(url, 'GET', { ...headers, 'if-none-match': '*' }, '');
        problems.push(...(await checker.check(path, method, response)).problems.map((p) => `${p} (If-None-Match: *)`));
      }
    }
  }
  return problems;
}

/** Any method with a body (fetch refuses one on GET), answered as a fetch Response. */
function sendWithBody(url: string, method: string, headers: Record<string, string>, body: string): Promise<Response> {
  return new Promise((resolve, reject) => {
    const req = request(url, { method, headers: { ...headers, 'content-length': String(Buffer.byteLength(body)) } }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (chunk: Buffer) => chunks.push(chunk));
      res.on('end', () => {
        const responseHeaders = new Headers();
        for (const [name, value] of Object.entries(res.headers)) {
          if (value !== undefined) responseHeaders.set(name, Array.isArray(value) ? value.join(', ') : value);
        }
        const status = res.statusCode ?? 0;
        // Fetch's Response takes no body with these (null body statuses).
        resolve(new Response([204, 205, 304].includes(status) ? null : Buffer.concat(chunks), { status, headers: responseHeaders }));
      });
    });
    req.on('error', reject).end(body);
  });
}
