import { fetch } from 'undici';

/** A request of a flow failed: a non-2xx answer, a network error or a timeout. */
export class RequestError extends Error {
  override name = 'RequestError';
  constructor(
    message: string,
    /** HTTP status, or undefined for a network error or timeout. */
    readonly status?: number,
    /** The WWW-Authenticate header of a 401 (RFC 6750 / RFC 9470 challenges). */
    readonly wwwAuthenticate?: string,
  ) {
    super(message);
  }
}

export interface JsonRequest {
  readonly method?: 'GET' | 'POST' | 'PUT' | 'DELETE';
  readonly body?: unknown;
  /** Sent as application/x-www-form-urlencoded instead of a JSON body. */
  readonly form?: URLSearchParams;
  /** A Firebase ID token, sent as `Authorization: Bearer`. */
  readonly token?: string;
  readonly timeoutMs: number;
}

const USER_AGENT = 'testbed-loadgen';

/**
 * Calls a JSON endpoint (absolute URL) as the SPA's api/http.ts does, through undici's fetch (so
 * ./network.ts can route it); resolves the parsed body, or
 * undefined for 204. Throws {@link RequestError} whose message names the method, path, status and
 * the problem+json title, never a token or a body.
 */
export async function requestJson<T>(url: string, request: JsonRequest): Promise<T> {
  const method = request.method ?? 'GET';
  const label = `${method} ${new URL(url).pathname}`;
  const headers: Record<string, string> = { accept: 'application/json, application/problem+json', 'user-agent': USER_AGENT };
  if (request.body !== undefined) headers['content-type'] = 'application/json';
  if (request.form !== undefined) headers['content-type'] = 'application/x-www-form-urlencoded';
  if (request.token) headers['authorization'] = `Bearer ${request.token}`;
  let response: Awaited<ReturnType<typeof fetch>>;
  try {
    response = await fetch(url, {
      method,
      headers,
      body: request.form?.toString() ?? (request.body === undefined ? undefined : JSON.stringify(request.body)),
      signal: AbortSignal.timeout(request.timeoutMs),
    });
  } catch (error) {
    const reason = error instanceof Error && error.name === 'TimeoutError' ? `no answer within ${request.timeoutMs} ms` : causeOf(error);
    throw new RequestError(`${label}: ${reason}`);
  }
  if (!response.ok) {
    throw new RequestError(
      `${label} → ${response.status}${await problemTitle(response)}`,
      response.status,
      response.headers.get('www-authenticate') ?? undefined,
    );
  }
  if (response.status === 204) return undefined as T;
  try {
    return (await response.json()) as T;
  } catch {
    throw new RequestError(`${label} → ${response.status} with a body that is not JSON`, response.status);
  }
}

async function problemTitle(response: Awaited<ReturnType<typeof fetch>>): Promise<string> {
  try {
    const type = response.headers.get('content-type') ?? '';
    if (!type.includes('json')) return ` ${response.statusText}`;
    const body = (await response.json()) as { title?: unknown; error?: { message?: unknown } };
    // Identity Toolkit answers { error: { message } }; our services answer problem+json.
    const title = typeof body.title === 'string' ? body.title : typeof body.error?.message === 'string' ? body.error.message : '';
    return title ? ` (${title})` : ` ${response.statusText}`;
  } catch {
    return ` ${response.statusText}`;
  }
}

function causeOf(error: unknown): string {
  if (!(error instanceof Error)) return String(error);
  const cause = (error as { cause?: unknown }).cause;
  if (cause instanceof Error) return (cause as { code?: string }).code ?? cause.message;
  return error.message;
}
