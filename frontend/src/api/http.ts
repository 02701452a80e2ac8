import type { Middleware } from 'openapi-fetch';
import { ApiError, apiErrorFromResponse, networkError } from './api-error.js';

/**
 * openapi-fetch middleware shared by the API clients: every answer that is not a 2xx becomes an
 * ApiError (from its problem+json body), a failed fetch a network ApiError, so a call's `data` is
 * always the documented 2xx body. Aborts stay AbortErrors.
 */
export const problemMiddleware: Middleware = {
  onRequest({ request }) {
    request.headers.set('accept', 'application/json, application/problem+json');
    return request;
  },
  async onResponse({ response }) {
    if (!response.ok) throw await apiErrorFromResponse(response);
    // Without a gateway in front, /api/* may fall through to the SPA's index.html: that is an
    // unavailable service, not a JSON syntax error to show the user.
    if (response.status !== 204 && !(response.headers.get('content-type') ?? '').includes('json')) {
      throw unexpectedResponse(response.status);
    }
    return response;
  },
  onError({ error }) {
    if (error instanceof DOMException && error.name === 'AbortError') return error;
    return networkError();
  },
};

/** The 2xx body of an openapi-fetch call made with problemMiddleware (which throws for anything else). */
export function dataOf<T>(result: { data?: T }): T {
  return result.data as T;
}

/** `Authorization: Bearer` for a call. */
export const bearer = (token: string) => ({ authorization: `Bearer ${token}` });

function unexpectedResponse(status: number): ApiError {
  return new ApiError(502, 'The service is unavailable', `The server answered ${status} with something other than JSON.`);
}
