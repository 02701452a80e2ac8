import { activityPageSchema, messageSchema } from '@testbed/contracts/http';
import type { InternalApiPaths } from '@testbed/contracts/http/types';
import { UpstreamProblems } from '@testbed/service-kit';
import createClient from 'openapi-fetch';
import type { ActivityPage, CallContext, MessageBoard, PageParams, PostedMessage } from '../../domain/message-board.js';

/** Seconds a client should wait before retrying while public-api is unreachable. */
const PUBLIC_API_UNAVAILABLE_RETRY_AFTER_S = 5;

// Headers of a public-api answer that mean the same thing to our caller (rate limit, retry hints).
const PASSED_ON_HEADERS = {
  'retry-after': 'Retry-After',
  ratelimit: 'RateLimit',
  'ratelimit-policy': 'RateLimit-Policy',
  // public-api refused the user's token (revoked since we checked it, say): the same challenge.
  'www-authenticate': 'WWW-Authenticate',
} as const;

// Only an overloaded, unreachable or timed-out public-api is worth retrying (502/503/504, the
// kit's default); its 500 is a failure that retrying the same request repeats (a data error, a
// bug), so it stays a 500.
const problems = new UpstreamProblems({
  name: 'public-api',
  description: 'the message service',
  retryAfterS: PUBLIC_API_UNAVAILABLE_RETRY_AFTER_S,
  passedOnHeaders: PASSED_ON_HEADERS,
});

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
    this.internal.use(problems.middleware);
  }

  async post(text: string, displayName: string, context: CallContext): Promise<{ message: PostedMessage; location: string | null }> {
    const { data, response } = await problems.guard(this.internal.POST('/messages', { body: { text, author: { displayName } }, ...this.init(context) }));
    return { message: problems.checked(data, messageSchema), location: response.headers.get('location') };
  }

  async activityOf(page: PageParams, context: CallContext): Promise<ActivityPage> {
    const { data } = await problems.guard(
      this.internal.GET('/activity', { params: { query: { limit: page.limit, cursor: page.cursor } }, ...this.init(context) }),
    );
    return problems.checked(data, activityPageSchema);
  }

  async ping(): Promise<void> {
    // /healthz is the service kit's, on every port, outside the internal API's table.
    await problems.ping(this.baseUrl, this.options.timeoutMs);
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
}
