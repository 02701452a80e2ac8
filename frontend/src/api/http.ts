import { ApiError, apiErrorFromResponse, networkError } from './api-error.js';

export interface RequestOptions {
  method?: 'GET' | 'POST' | 'PUT' | 'DELETE';
  body?: unknown;
  token?: string;
  signal?: AbortSignal;
}

/** Calls a same-origin JSON API; throws ApiError for every non-2xx answer or network failure. */
export async function requestJson<T>(path: string, options: RequestOptions = {}): Promise<T> {
  const headers: Record<string, string> = { accept: 'application/json, application/problem+json' };
  if (options.body !== undefined) headers['content-type'] = 'application/json';
  if (options.token) headers['authorization'] = `Bearer ${options.token}`;
  let response: Response;
  try {
    response = await fetch(path, {
      method: options.method ?? 'GET',
      headers,
      body: options.body === undefined ? undefined : JSON.stringify(options.body),
      signal: options.signal,
    });
  } catch (error) {
    if (error instanceof DOMException && error.name === 'AbortError') throw error;
    throw networkError();
  }
  if (!response.ok) throw await apiErrorFromResponse(response);
  if (response.status === 204) return undefined as T;
  // Without a gateway in front, /api/* may fall through to the SPA's index.html: that is an
  // unavailable service, not a JSON syntax error to show the user.
  if (!(response.headers.get('content-type') ?? '').includes('json')) throw unexpectedResponse(response.status);
  try {
    return (await response.json()) as T;
  } catch {
    throw unexpectedResponse(response.status);
  }
}

export function withQuery(path: string, query: Record<string, string | number | undefined>): string {
  const params = new URLSearchParams();
  for (const [key, value] of Object.entries(query)) if (value !== undefined && value !== '') params.set(key, String(value));
  const qs = params.toString();
  return qs ? `${path}?${qs}` : path;
}

function unexpectedResponse(status: number): ApiError {
  return new ApiError(502, 'The service is unavailable', `The server answered ${status} with something other than JSON.`);
}
