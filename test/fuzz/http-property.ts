// The property every operation of both OpenAPI documents must hold, whatever a client sends:
// no answer of 500 or more, no dropped connection or dead process, every error an RFC 9457
// problem (application/problem+json with type, title, status and detail), and every status and
// body one the document gives for that operation. Written once; the integration suite runs it
// with a few seeded cases, `pnpm test:resilience` with at least 1,000 per operation.
import { Agent, request } from 'node:http';
import fc from 'fast-check';
import type { OpenApiDocument } from '@testbed/service-kit';
import { OpenApiResponseChecker } from '@testbed/service-kit/testing';
import { documentedOperations, requestsFor, type FuzzRequest, type TokenSource } from './http-requests.js';

/** Where to send the cases: a service directly or through the gateway. */
export interface HttpFuzzTarget {
  /** e.g. "public-api through the gateway", for failure messages. */
  readonly name: string;
  /** Origin, e.g. http://127.0.0.1:8081. */
  readonly origin: string;
  /** The document as the service serves it; its `servers[0].url` is the path prefix. */
  readonly document: OpenApiDocument;
  readonly tokens: TokenSource;
  /** Why the stack is no longer whole (a process exited), or undefined while it is. */
  readonly brokenBecause: () => string | undefined;
}

export interface HttpFuzzOptions {
  readonly numRuns: number;
  /** Fixed for reproducible runs (`pnpm test`); fast-check picks one otherwise and prints it on failure. */
  readonly seed?: number;
  /** Called before each operation's run, e.g. to sign in again so the token is fresh. */
  readonly beforeOperation?: () => Promise<void>;
}

export interface HttpFuzzReport {
  /** Cases sent per operation, as "GET /messages". */
  readonly casesPerOperation: Readonly<Record<string, number>>;
  /** How many answers had each status, over all operations. */
  readonly statuses: Readonly<Record<number, number>>;
}

export interface RawAnswer {
  readonly status: number;
  readonly headers: Readonly<Record<string, string | string[] | undefined>>;
  readonly body: Buffer;
}

/**
 * No answer within this long means the service hung on the request (one case at a time, on an
 * idle stack); it guards against a hang, it is not a latency check.
 */
const HANG_MS = 60_000;

/** Sends one case over `agent`; rejects when the connection fails or no answer comes. */
export function send(origin: string, fuzz: FuzzRequest, agent: Agent): Promise<RawAnswer> {
  return new Promise((resolve, reject) => {
    const headers: Record<string, string | string[]> = {};
    for (const [name, value] of Object.entries(fuzz.headers)) headers[name] = typeof value === 'string' ? value : [...value];
    if (fuzz.body) headers['content-length'] = String(fuzz.body.length);
    const req = request(`${origin}${fuzz.target}`, { method: fuzz.method, headers, agent, timeout: HANG_MS }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (chunk: Buffer) => chunks.push(chunk));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks) }));
      res.on('error', reject);
    });
    req.on('timeout', () => req.destroy(new Error(`no answer within ${HANG_MS} ms`)));
    req.on('error', reject);
    req.end(fuzz.body);
  });
}

/** What is wrong with `answer` to a case of `path`/`method` (the document's template); empty when nothing is. */
export function violations(checker: OpenApiResponseChecker, path: string, method: string, answer: RawAnswer): string[] {
  const problems: string[] = [];
  if (answer.status >= 500) problems.push(`status ${answer.status} (a server fault)`);
  const contentType = (String(answer.headers['content-type'] ?? '').split(';')[0] ?? '').trim();
  let body: unknown;
  const text = answer.body.toString('utf8');
  if (text !== '') {
    try {
      body = JSON.parse(text);
    } catch {
      problems.push(`body is not JSON (${contentType}): ${text.slice(0, 200)}`);
      return problems;
    }
  }
  if (answer.status >= 400) {
    if (contentType !== 'application/problem+json') problems.push(`error with content type "${contentType}", not application/problem+json`);
    const problem = body as Record<string, unknown> | undefined;
    for (const field of ['type', 'title', 'detail']) {
      if (typeof problem?.[field] !== 'string') problems.push(`problem without a string "${field}"`);
    }
    if (problem?.['status'] !== answer.status) problems.push(`problem status ${String(problem?.['status'])} is not the HTTP status`);
  }
  problems.push(...checker.problemsOf(path, method as never, answer.status, contentType, body));
  return problems;
}

const describeCase = (fuzz: FuzzRequest, answer?: RawAnswer) =>
  JSON.stringify({
    method: fuzz.method,
    target: fuzz.target,
    token: fuzz.token,
    headers: Object.fromEntries(Object.entries(fuzz.headers).map(([k, v]) => [k, k === 'authorization' ? `<${fuzz.token}>` : v])),
    body: fuzz.body ? fuzz.body.toString('utf8').slice(0, 300) : undefined,
    answer: answer ? { status: answer.status, contentType: answer.headers['content-type'], body: answer.body.toString('utf8').slice(0, 300) } : undefined,
  });

/**
 * Runs the property over every operation of the target's document, one case at a time (no
 * concurrency: a loaded machine must not turn into a 503 the property would blame the service
 * for). Throws fast-check's report, with the shrunk case, at the first violation.
 */
export async function fuzzHttpApi(target: HttpFuzzTarget, options: HttpFuzzOptions): Promise<HttpFuzzReport> {
  const checker = new OpenApiResponseChecker(target.document);
  const prefix = target.document.servers?.[0]?.url ?? '';
  const agent = new Agent({ keepAlive: true, maxSockets: 1 });
  const casesPerOperation: Record<string, number> = {};
  const statuses: Record<number, number> = {};
  try {
    for (const documented of documentedOperations(target.document)) {
      const name = `${documented.method.toUpperCase()} ${documented.path}`;
      await options.beforeOperation?.();
      let cases = 0;
      const property = fc.asyncProperty(requestsFor(documented, target.document, target.tokens), async (generated) => {
        const fuzz = { ...generated, target: `${prefix}${generated.target}` };
        cases += 1;
        let answer: RawAnswer;
        try {
          answer = await send(target.origin, fuzz, agent);
        } catch (error) {
          throw new Error(`${target.name} ${name}: no answer (${String(error)}); ${target.brokenBecause() ?? 'the stack is still up'}\n${describeCase(fuzz)}`, {
            cause: error,
          });
        }
        statuses[answer.status] = (statuses[answer.status] ?? 0) + 1;
        const problems = violations(checker, documented.path, documented.method, answer);
        const broken = target.brokenBecause();
        if (broken) problems.push(`the stack broke: ${broken}`);
        if (problems.length > 0) throw new Error(`${target.name} ${name}:\n  ${problems.join('\n  ')}\n${describeCase(fuzz, answer)}`);
      });
      // A case that has not settled well after the hang guard fails instead of stalling the run.
      await fc.assert(property, { numRuns: options.numRuns, timeout: HANG_MS + 5_000, ...(options.seed === undefined ? {} : { seed: options.seed }) });
      casesPerOperation[name] = cases;
    }
  } finally {
    agent.destroy();
  }
  return { casesPerOperation, statuses };
}
