export interface FieldError {
  /** The field the message is about, e.g. "text" (leading slashes and array paths normalised). */
  field: string;
  message: string;
}

/** A failed API call, from an RFC 9457 problem+json body when the server sent one. */
export class ApiError extends Error {
  override name = 'ApiError';
  constructor(
    /** HTTP status; 0 when the server could not be reached. */
    readonly status: number,
    readonly title: string,
    readonly detail: string | undefined,
    readonly fieldErrors: readonly FieldError[] = [],
    readonly retryAfterSeconds: number | undefined = undefined,
    readonly wwwAuthenticate: string | null = null,
  ) {
    super(detail ? `${title}: ${detail}` : title);
  }

  get isRateLimited(): boolean {
    return this.status === 429;
  }

  get isNetworkError(): boolean {
    return this.status === 0;
  }

  fieldError(field: string): string | undefined {
    return this.fieldErrors.find((e) => e.field === field)?.message;
  }
}

const fallbackTitles: Record<number, string> = {
  400: 'The request was not valid',
  401: 'Please sign in again',
  403: 'Not allowed',
  404: 'Not found',
  413: 'The request is too large',
  429: 'Too many requests',
  500: 'The server had a problem',
  502: 'The service is unavailable',
  503: 'The service is unavailable',
  504: 'The service did not answer in time',
};

function normaliseField(path: unknown): string {
  const parts = Array.isArray(path) ? path.map(String) : (typeof path === 'string' || typeof path === 'number' ? String(path) : '').split(/[/.]/);
  return parts.filter((p) => p !== '' && p !== '#').join('.');
}

/** Retry-After is either delta-seconds or an HTTP date (RFC 9110 §10.2.3). */
export function parseRetryAfter(value: string | null, now = Date.now()): number | undefined {
  if (!value) return undefined;
  if (/^\d+$/.test(value.trim())) return Number(value.trim());
  const date = Date.parse(value);
  return Number.isNaN(date) ? undefined : Math.max(0, Math.ceil((date - now) / 1000));
}

export async function apiErrorFromResponse(response: Response): Promise<ApiError> {
  const status = response.status;
  const retryAfter = parseRetryAfter(response.headers.get('retry-after'));
  const wwwAuthenticate = response.headers.get('www-authenticate');
  let body: Record<string, unknown> = {};
  const contentType = response.headers.get('content-type') ?? '';
  if (contentType.includes('json')) {
    try {
      const parsed: unknown = await response.json();
      if (typeof parsed === 'object' && parsed !== null) body = parsed as Record<string, unknown>;
    } catch {
      // A broken error body still leaves the status to report.
    }
  }
  const title = typeof body['title'] === 'string' && body['title'] ? body['title'] : (fallbackTitles[status] ?? `HTTP ${status}`);
  const detail = typeof body['detail'] === 'string' && body['detail'] ? body['detail'] : undefined;
  const fieldErrors = Array.isArray(body['errors'])
    ? body['errors'].flatMap((e: unknown): FieldError[] => {
        if (typeof e !== 'object' || e === null) return [];
        const { path, message } = e as Record<string, unknown>;
        return typeof message === 'string' ? [{ field: normaliseField(path), message }] : [];
      })
    : [];
  return new ApiError(status, title, detail, fieldErrors, retryAfter, wwwAuthenticate);
}

export function networkError(): ApiError {
  return new ApiError(0, 'Cannot reach the server', 'Check your connection and try again.');
}

/** One line for an alert, whatever was thrown. */
export function describeError(error: unknown): { title: string; detail: string | undefined } {
  if (error instanceof ApiError) {
    if (error.isRateLimited) {
      const wait = error.retryAfterSeconds;
      return {
        title: 'Slow down a little',
        detail: wait !== undefined ? `Too many requests: try again in ${wait} s.` : 'Too many requests: try again shortly.',
      };
    }
    return { title: error.title, detail: error.detail };
  }
  if (error instanceof Error) return { title: 'Something went wrong', detail: error.message };
  return { title: 'Something went wrong', detail: undefined };
}
