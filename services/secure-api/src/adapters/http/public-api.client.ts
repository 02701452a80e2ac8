import { AppError, classifyFailure, kindFromHttpStatus, type FieldProblem } from '@testbed/service-kit';
import { z } from 'zod';
import type {
  ActivityPage,
  CallContext,
  MessageBoard,
  PageParams,
  PostedMessage,
} from '../../domain/message-board.js';

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

const messageSchema = z.object({
  id: z.string(),
  text: z.string(),
  author: z.object({ uid: z.string().nullable(), displayName: z.string() }),
  createdAt: z.string(),
});

const activityPageSchema = z.object({
  items: z.array(
    z.object({
      id: z.string(),
      type: z.string(),
      actorUid: z.string().nullable(),
      summary: z.string(),
      occurredAt: z.string(),
    }),
  ),
  nextCursor: z.string().nullable(),
});

const problemSchema = z.object({
  detail: z.string().optional(),
  errors: z.array(z.object({ path: z.string(), message: z.string() })).optional(),
});

/**
 * Calls public-api's internal routes (`/internal/...` on its internal port, INTERNAL_PORT, which
 * only other services reach), with the user's ID token as `Authorization: Bearer`. Every failure
 * maps to a problem the caller can act on: public-api unreachable, slow or answering 502/503/504 =>
 * 503 with Retry-After; a 4xx from public-api => the same status and detail, passed on; a 500 or a
 * body that breaks the contract => 500, not worth a retry.
 */
export class PublicApiClient implements MessageBoard {
  constructor(
    private readonly baseUrl: string,
    private readonly options: { timeoutMs: number },
  ) {}

  async post(
    text: string,
    displayName: string,
    context: CallContext,
  ): Promise<{ message: PostedMessage; location: string | null }> {
    const response = await this.call('/internal/messages', {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ text, author: { displayName } }),
      context,
    });
    return { message: await this.body(response, messageSchema), location: response.headers.get('location') };
  }

  async activityOf(page: PageParams, context: CallContext): Promise<ActivityPage> {
    const query = new URLSearchParams();
    if (page.limit !== undefined) query.set('limit', page.limit);
    if (page.cursor !== undefined) query.set('cursor', page.cursor);
    const response = await this.call(`/internal/activity?${query.toString()}`, { method: 'GET', context });
    return this.body(response, activityPageSchema);
  }

  async ping(): Promise<void> {
    const response = await this.call('/healthz', { method: 'GET' });
    await response.body?.cancel();
  }

  private async call(
    path: string,
    init: { method: string; headers?: Record<string, string>; body?: string; context?: CallContext },
  ): Promise<Response> {
    let response: Response;
    try {
      response = await fetch(new URL(path, this.baseUrl), {
        method: init.method,
        headers: {
          accept: 'application/json',
          ...init.headers,
          ...(init.context ? { authorization: `Bearer ${init.context.idToken}` } : {}),
          ...(init.context?.traceparent ? { traceparent: init.context.traceparent } : {}),
        },
        ...(init.body === undefined ? {} : { body: init.body }),
        signal: AbortSignal.timeout(this.options.timeoutMs),
      });
    } catch (error) {
      // Refused, reset, DNS, or our timeout: all mean "not now", never the caller's fault.
      throw unavailable(error);
    }
    if (response.ok) return response;
    if (response.status >= 400 && response.status < 500) throw await passedOn(response);
    const retryAfter = response.headers.get('retry-after');
    await response.body?.cancel();
    const cause = new Error(`public-api answered ${response.status}`);
    // Only an overloaded, unreachable or timed-out public-api is worth retrying; its 500 is a
    // failure that retrying the same request repeats (a data error, a bug), so it stays a 500.
    if (RETRYABLE_STATUSES.has(response.status)) throw unavailable(cause, retryAfter);
    throw failed(cause);
  }

  private async body<T>(response: Response, schema: z.ZodType<T>): Promise<T> {
    try {
      return schema.parse(await response.json());
    } catch (error) {
      // A connection dropped mid-body is worth a retry; a body that breaks the contract is not.
      throw classifyFailure(error) === 'transient' ? unavailable(error) : failed(error);
    }
  }
}

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
  const parsed = problemSchema.safeParse(await response.json().catch(() => ({})));
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
