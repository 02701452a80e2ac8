import type { Middleware } from 'openapi-fetch';
import type { z } from 'zod';
import { problemSchema } from '@testbed/contracts/http';
import { AppError, classifyFailure, kindFromHttpStatus, type FieldProblem } from '../errors.js';

// Bad Gateway, Service Unavailable, Gateway Timeout: RFC 9110 section 15.6.
const GATEWAY_STATUSES = new Set([502, 503, 504]);

/** Who the upstream is and how its failures read to our own callers. */
export interface UpstreamOptions {
  /** The service called, for logs and causes, e.g. `public-api`. */
  readonly name: string;
  /** What our caller is told is unavailable or failed, e.g. `the message service`. */
  readonly description: string;
  /** Seconds our caller should wait before retrying while the upstream is unreachable (Retry-After). */
  readonly retryAfterS: number;
  /**
   * Which 5xx answers are worth a retry (503 with Retry-After) rather than our 500. Default: 502,
   * 503 and 504 only; a caller whose request is a read may treat every 5xx as "not now".
   */
  readonly retryable?: (status: number) => boolean;
  /** Headers of a 4xx answer passed on to our caller, lower-case name => canonical name; default Retry-After only. */
  readonly passedOnHeaders?: Readonly<Record<string, string>>;
}

/**
 * How a typed client of another service (openapi-fetch over a contract's generated types) turns
 * every failure into a problem its caller can act on: the upstream unreachable, timed out or
 * answering a retryable 5xx => 503 with Retry-After (`unavailable`); a 4xx => the same status,
 * detail and field errors, passed on; any other 5xx, or a body that breaks the contract => 500
 * (`internal`), not worth a retry. secure-api's client of public-api and public-api's client of
 * event-consumer's read API share it.
 */
export class UpstreamProblems {
  /** Install on the openapi-fetch client (`client.use(problems.middleware)`). */
  readonly middleware: Middleware;

  constructor(private readonly options: UpstreamOptions) {
    const retryable = options.retryable ?? ((status: number) => GATEWAY_STATUSES.has(status));
    this.middleware = {
      onResponse: async ({ response }) => {
        if (response.ok) return response;
        if (response.status >= 400 && response.status < 500) throw await this.passedOn(response);
        const retryAfter = response.headers.get('retry-after');
        await response.body?.cancel();
        const cause = new Error(`${options.name} answered ${response.status}`);
        if (retryable(response.status)) throw this.unavailable(cause, retryAfter);
        throw this.failed(cause);
      },
      // Refused, reset, DNS, or our timeout: all mean "not now", never the caller's fault.
      onError: ({ error }) => this.unavailable(error),
    };
  }

  /** 503 with Retry-After (the upstream's own when it sent one). */
  unavailable(cause: unknown, retryAfter?: string | null): AppError {
    return new AppError('unavailable', `${this.options.description} is unavailable, retry shortly`, {
      headers: { 'Retry-After': retryAfter ?? String(this.options.retryAfterS) },
      cause,
    });
  }

  /** 500: the upstream failed in a way a retry repeats. */
  failed(cause: unknown): AppError {
    return new AppError('internal', `${this.options.description} failed to handle the request`, { cause });
  }

  /** Awaits a call of the client; a connection dropped mid-body is worth a retry, nothing else is. */
  async guard<R>(call: Promise<R>): Promise<R> {
    try {
      return await call;
    } catch (error) {
      if (error instanceof AppError) throw error;
      throw classifyFailure(error) === 'transient' ? this.unavailable(error) : this.failed(error);
    }
  }

  /** A 2xx body against the contract's own schema: one that breaks it is our 500, not worth a retry. */
  checked<S extends z.ZodType>(body: unknown, schema: S): z.output<S> {
    const parsed = schema.safeParse(body);
    if (!parsed.success) throw this.failed(parsed.error);
    return parsed.data;
  }

  /**
   * The kit's `/healthz` of the upstream (outside every operation table), for /readyz: resolves
   * when it answers 2xx within `timeoutMs`, else rejects with `unavailable`.
   */
  async ping(baseUrl: string, timeoutMs: number): Promise<void> {
    let response: Response;
    try {
      response = await fetch(new URL('/healthz', baseUrl), { signal: AbortSignal.timeout(timeoutMs) });
    } catch (error) {
      throw this.unavailable(error);
    }
    await response.body?.cancel();
    if (!response.ok) throw this.unavailable(new Error(`${this.options.name} answered ${response.status}`), response.headers.get('retry-after'));
  }

  /** The upstream's 4xx problem as our own: same status (so same type and title), detail and field errors. */
  private async passedOn(response: Response): Promise<AppError> {
    const parsed = problemSchema.partial().safeParse(await response.json().catch(() => ({})));
    const problem = parsed.success ? parsed.data : {};
    const headers: Record<string, string> = {};
    for (const [name, canonical] of Object.entries(this.options.passedOnHeaders ?? { 'retry-after': 'Retry-After' })) {
      const value = response.headers.get(name);
      if (value !== null) headers[canonical] = value;
    }
    const errors: FieldProblem[] | undefined = problem.errors;
    return new AppError(kindFromHttpStatus(response.status), problem.detail ?? `request refused (${response.status})`, {
      headers,
      ...(errors ? { errors } : {}),
    });
  }
}
