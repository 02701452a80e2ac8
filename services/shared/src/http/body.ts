import { isUtf8 } from 'node:buffer';
import type { IncomingMessage } from 'node:http';
import express, { type Request, type RequestHandler } from 'express';
import { AppError } from '../errors.js';
import { INVALID_UTF8_BODY } from './problem.js';

// The API's request bodies: JSON only, UTF-8 only, size-limited. Reading and judging the body are
// split: the app reads it once, up front, but a body problem is answered only when the route asks
// for the body (routeOperations), after the route's own `before` steps. So a request without
// credentials is told 401 whatever its body holds (the credential check comes first, as in RFC 6750
// section 3), and a write limit that counts every attempt counts a malformed one too.

const bodyProblems = new WeakMap<Request, unknown>();

function hasBody(req: IncomingMessage): boolean {
  const length = req.headers['content-length'];
  return req.headers['transfer-encoding'] !== undefined || (length !== undefined && length !== '0');
}

/** The API speaks JSON only: a body of any other type is a 415, and is never read. */
const requireJsonBodies: RequestHandler = (req, _res, next) => {
  if (hasBody(req) && !req.is(['application/json', 'application/*+json'])) {
    next(new AppError('unsupported-media-type', 'request body must be application/json'));
    return;
  }
  next();
};

/**
 * body-parser's `verify` hook, on the raw bytes: JSON is UTF-8 (RFC 8259 section 8.1), and a decoder
 * would otherwise turn each invalid byte into U+FFFD, so the text stored would silently differ from
 * the text sent. Thrown errors reach the problem handler with this `type` (a 400).
 */
function requireUtf8(_req: IncomingMessage, _res: unknown, body: Buffer): void {
  if (!isUtf8(body)) throw Object.assign(new Error('request body is not valid UTF-8'), { type: INVALID_UTF8_BODY });
}

/** Runs `step`; an error it reports is kept for `throwBodyProblem` instead of answering now. */
const deferringProblems =
  (step: RequestHandler): RequestHandler =>
  (req, res, next) => {
    void step(req, res, (error?: unknown) => {
      if (error !== undefined && error !== null) bodyProblems.set(req, error);
      next();
    });
  };

/**
 * The app-wide body steps: a non-JSON body is refused unread (415); a JSON body of at most
 * `limit` (bytes, or a size string such as '16kb') is read, checked as UTF-8 and parsed into
 * `req.body`. Problems (415, 413, 400) wait for `throwBodyProblem`.
 */
export function jsonBodies(limit: string | number): RequestHandler[] {
  const parse = express.json({ limit, type: ['application/json', 'application/*+json'], verify: requireUtf8 });
  return [deferringProblems(requireJsonBodies), deferringProblems(parse)];
}

/** Throws the problem found in the request's body (its type, size, encoding or JSON), if any. */
export function throwBodyProblem(req: Request): void {
  if (bodyProblems.has(req)) throw bodyProblems.get(req);
}
