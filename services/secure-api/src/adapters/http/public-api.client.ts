import { activityPageSchema, messageSchema, problemSchema } from '@testbed/contracts/http';
import type { InternalApiPaths } from '@testbed/contracts/http/types';
import { AppError, classifyFailure, kindFromHttpStatus, type FieldProblem } from '@testbed/service-kit';
import createClient, { type Middleware } from 'openapi-fetch';
import type { z } from 'zod';
import type { ActivityPage, CallContext, MessageBoard, PageParams, PostedMessage } from '../../domain/message-board.js';

/** Seconds a client should wait before retrying while public-api is unreachable. */
const PUBLIC_API_UNAVAILABLE_RETRY_AFTER_S = 5;

// Headers of a public-api answer that mean the same thing to our caller (rate limit, retry hints).
const PASSED_ON_HEADERS: Readonly<Record<string, string>> = {
  'retry-after': 'Retry-After',
  ratelimit: 'RateLimit',
  'ratelimit-policy': 'RateLimit-Policy',
  // public-api refused the user's token (revoked since we checked it, say): the same challenge.
  'www-authenticate': 'WWW-Authenticate',
};

/**
 * Calls public-api's internal routes (`/internal/...` on its internal port, INTERNAL_PORT, which
 * only other services reach), with the user's ID token as `Authorization: Bearer`. Every failure
 * maps to a problem the caller can act on: public-api unreachable, slow or answering 502/503/504 =>
 * 503 with Retry-After; a 4xx from public-api => the same status and detail, passed on; a 500 or a
 * body that breaks the contract => 500, not worth a retry.
 */
export class PublicApiClient implements MessageBoard {
  /** The internal routes, typed by the generated OpenAPI types of their contract. */
  private readonly internal: ReturnType<typeof createClient<InternalApiPaths>>;

  constructor(
    private readonly baseUrl: string,
    private readonly options: { timeoutMs: number },
  ) {
    this.internal = createClient<InternalApiPaths>({ baseUrl: new URL('/internal', baseUrl).href });
    this.internal.use(failuresAsProblems);
  }

  async post(text: string, displayName: string, context: CallContext): Promise<{ message: PostedMessage; location: string | null }> {
    const { data, response } = await this.guard(this.internal.POST('/messages', { body: { text, author: { displayName } }, ...this.init(context) }));
    return { message: this.checked(data, messageSchema), location: response.headers.get('location') };
  }

  async activityOf(page: PageParams, context: CallContext): Promise<ActivityPage> {
    const { data } = await this.guard(this.internal.GET('/activity', { params: { query: { limit: page.limit, cursor: page.cursor } }, ...this.init(context) }));
    return this.checked(data, activityPageSchema);
  }

  async ping(): Promise<void> {
    // /healthz is the service kit's, on every port, outside the internal API's table.
    let response: Response;
    try {
      response = await fetch(new URL('/healthz', this.baseUrl), { signal: AbortSignal.timeout(this.options.timeoutMs) });
    } catch (error) {
      throw unavailable(error);
    }
    await response.body?.cancel();
    if (!response.ok) throw unavailable(new Error(`public-api answered ${response.status}`), response.headers.get('retry-after'));
  }

  private init(context: CallContext) {
    return {
      headers: {
        accept: 'application/json',
        authorization: `Bearer ${context.idToken}`,
      },
      signal: AbortSignal.timeout(this.options.timeoutMs),
    };
  }

  /** A 2xx body read and parsed by openapi-fetch; a connection dropped mid-body is worth a retry, nothing else is. */
  private async guard<R>(call: Promise<R>): Promise<R> {
    try {
      return await call;
    } catch (error) {
      if (error instanceof AppError) throw error;
      throw classifyFailure(error) === 'transient' ? unavailable(error) : failed(error);
    }
  }

  /** The body against the contract's own schema: a body that breaks it is our 500, not worth a retry. */
  private checked<S extends z.ZodType>(body: unknown, schema: S): z.output<S> {
    const parsed = schema.safeParse(body);
    if (!parsed.success) throw failed(parsed.error);
    return parsed.data;
  }
}

/**
 * Every answer that is not a 2xx as the AppError our caller gets: public-api unreachable, slow or
 * answering 502/503/504 => 503 with Retry-After; a 4xx => the same status and detail, passed on;
 * a 500 => 500, not worth a retry.
 */
const failuresAsProblems: Middleware = {
  async onResponse({ response }) {
    if (response.ok) return response;
    if (response.status >= 400 && response.status < 500) throw await passedOn(response);
    const retryAfter = response.headers.get('retry-after');
    await response.body?.cancel();
    const cause = new Error(`public-api answered ${response.status}`);
    // Only an overloaded, unreachable or timed-out public-api is worth retrying; its 500 is a
    // failure that retrying the same request repeats (a data error, a bug), so it stays a 500.
    if (RETRYABLE_STATUSES.has(response.status)) throw unavailable(cause, retryAfter);
    throw failed(cause);
  },
  onError({ error }) {
    // Refused, reset, DNS, or our timeout: all mean "not now", never the caller's fault.
    return unavailable(error);
  },
};

// Bad Gateway, Service Unavailable, Gateway Timeout: RFC 9110 section 15.6.
const RETRYABLE_STATUSES = new Set([502, 503, 504]);

function unavailable(cause: unknown, retryAfter?: string | null): AppError {
  return new AppError('unavailable', 'the message service is unavailable, retry shortly', {
    headers: { 'Retry-After': retryAfter ?? String(PUBLIC_API_UNAVAILABLE_RETRY_AFTER_S) },
    cause,
  });
}

function failed(cause: unknown): AppError {
  return new AppError('internal', 'the message service failed to handle the request', { cause });
}

/** public-api's 4xx problem as our own: same status (so same type and title), detail and field errors. */
async function passedOn(response: Response): Promise<AppError> {
  const parsed = problemSchema.partial().safeParse(await response.json().catch(() => ({})));
  const problem = parsed.success ? parsed.data : {};
  const headers: Record<string, string> = {};
  for (const [name, canonical] of Object.entries(PASSED_ON_HEADERS)) {
    const value = response.headers.get(name);
    if (value !== null) headers[canonical] = value;
  }
  const errors: FieldProblem[] | undefined = problem.errors;
  return new AppError(kindFromHttpStatus(response.status), problem.detail ?? `request refused (${response.status})`, {
    headers,
    ...(errors ? { errors } : {}),
  });
}
