import type { ErrorRequestHandler, RequestHandler, Response } from 'express';
import type { Logger } from 'pino';
// request-log.ts types `req.id`; import its declarations even where app.ts is not in the program.
import type {} from './request-log.js';
import { AppError, DEPENDENCY_RETRY_AFTER_S, errorKinds, toAppError, type ErrorKind, type FieldProblem } from '../errors.js';

export const PROBLEM_CONTENT_TYPE = 'application/problem+json';

/** RFC 9457 problem details, plus the request id so a user's report can be found in the logs. */
export interface Problem {
  type: string;
  title: string;
  status: number;
  detail: string;
  instance: string;
  requestId: string;
  errors?: readonly FieldProblem[];
}

export const problemType = (kind: ErrorKind) => `urn:testbed:problem:${kind}`;

export function sendProblem(
  res: Response,
  kind: ErrorKind,
  detail: string,
  extra: { errors?: readonly FieldProblem[] | undefined; headers?: Readonly<Record<string, string>> } = {},
): void {
  const { httpStatus, title } = errorKinds[kind];
  const problem: Problem = {
    type: problemType(kind),
    title,
    status: httpStatus,
    detail,
    instance: res.req.originalUrl,
    requestId: res.req.id ?? '',
    ...(extra.errors ? { errors: extra.errors } : {}),
  };
  for (const [name, value] of Object.entries(extra.headers ?? {})) res.setHeader(name, value);
  // Every 503 says when to come back (RFC 9110 section 10.2.3), whoever raised it.
  if (httpStatus === 503 && !res.hasHeader('Retry-After')) res.setHeader('Retry-After', String(DEPENDENCY_RETRY_AFTER_S));
  res.status(httpStatus).type(PROBLEM_CONTENT_TYPE).send(JSON.stringify(problem));
}

/** The `type` of the error the app's UTF-8 check (body-parser `verify`) throws. */
export const INVALID_UTF8_BODY = 'entity.encoding.invalid';

// body-parser reports client mistakes with a `type`; each maps to a kind and a message that
// says what to fix without echoing the body back.
const bodyParserErrors: Record<string, { kind: ErrorKind; detail: string }> = {
  'entity.parse.failed': { kind: 'invalid-argument', detail: 'request body is not valid JSON' },
  [INVALID_UTF8_BODY]: { kind: 'invalid-argument', detail: 'request body is not valid UTF-8' },
  'entity.too.large': { kind: 'payload-too-large', detail: 'request body is larger than allowed' },
  'encoding.unsupported': { kind: 'unsupported-media-type', detail: 'unsupported content encoding' },
  'charset.unsupported': { kind: 'unsupported-media-type', detail: 'request body must be UTF-8' },
  'request.aborted': { kind: 'invalid-argument', detail: 'request body was aborted' },
  'request.size.invalid': { kind: 'invalid-argument', detail: 'request body size does not match Content-Length' },
};

interface HttpLikeError {
  type?: unknown;
  status?: unknown;
  expose?: unknown;
  /** body-parser's parse errors carry the raw body text. */
  body?: unknown;
}

/**
 * body-parser's strict mode refuses a top-level `null`, string or number with the same error as a
 * syntax error; the body that parses as JSON is valid, only not an object (or array), and the
 * answer should say so.
 */
function isJsonButNotAContainer(error: HttpLikeError): boolean {
  if (error.type !== 'entity.parse.failed' || typeof error.body !== 'string') return false;
  try {
    JSON.parse(error.body);
    return true;
  } catch {
    return false;
  }
}

export function notFoundHandler(): RequestHandler {
  return (req, res) => sendProblem(res, 'not-found', `no route for ${req.method} ${req.path}`);
}

/**
 * The one error handler: AppErrors keep their kind, client errors from Express stay 4xx, and anything
 * else is classified once (errors.ts toAppError): a dependency refused, lost, timed out or overloaded
 * is a 503 with Retry-After, everything else a bare 500.
 */
export function problemErrorHandler(logger: Logger): ErrorRequestHandler {
  return (error: unknown, req, res, _next) => {
    if (res.headersSent) {
      req.socket.destroy();
      return;
    }
    const httpError = (typeof error === 'object' && error !== null ? error : {}) as HttpLikeError;
    const known = typeof httpError.type === 'string' ? bodyParserErrors[httpError.type] : undefined;
    if (known) {
      sendProblem(res, known.kind, isJsonButNotAContainer(httpError) ? 'request body must be a JSON object' : known.detail);
      return;
    }
    if (!(error instanceof AppError) && typeof httpError.status === 'number' && httpError.status >= 400 && httpError.status < 500) {
      sendProblem(res, 'invalid-argument', 'the request could not be processed');
      return;
    }
    const appError = toAppError(error);
    const status = errorKinds[appError.kind].httpStatus;
    if (appError.kind === 'internal' && appError !== error) {
      logger.error({ err: error, requestId: req.id }, 'unhandled error');
    } else if (status >= 500) {
      logger.warn({ err: error, requestId: req.id }, 'request failed');
    }
    sendProblem(res, appError.kind, appError.message, { errors: appError.errors, headers: appError.headers });
  };
}
