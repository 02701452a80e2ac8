import { setTimeout as sleep } from 'node:timers/promises';
import { waitFor } from '@testbed/service-kit/testing';
import { expect } from 'vitest';
import { MYSQL_TIMEOUTS, type Stack } from './stack.js';

/**
 * The longest a request may take to be answered while a dependency is down or frozen: the stack's
 * configured pool wait, connection attempt and statement timeouts (docs/failure-handling.md), plus
 * slack for a busy machine. A request not answered by then is aborted and the test fails: a hang.
 */
export const ANSWER_BOUND_MS = MYSQL_TIMEOUTS.poolWaitMs + MYSQL_TIMEOUTS.connectMs + MYSQL_TIMEOUTS.queryMs + 6_000;

/**
 * How long a scenario polls for recovery once a dependency is back. The services come back within
 * 2 s (docs/failure-handling.md); the cap is generous so a loaded machine cannot fail the scenario:
 * what is asserted is that they recover on their own, without a restart.
 */
export const RECOVERY_CAP_MS = 60_000;

export function postMessage(stack: Stack, text: string): Promise<Response> {
  return fetch(`${stack.services['public-api'].url}/api/public/messages`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ text }),
    signal: AbortSignal.timeout(ANSWER_BOUND_MS),
  });
}

export function listMessages(stack: Stack): Promise<Response> {
  return fetch(`${stack.services['public-api'].url}/api/public/messages?limit=20`, { signal: AbortSignal.timeout(ANSWER_BOUND_MS) });
}

/** `GET`, `PUT` or `DELETE /api/secure/me` with `idToken`. */
export function me(stack: Stack, idToken: string, method = 'GET', body?: unknown): Promise<Response> {
  return fetch(`${stack.services['secure-api'].url}/api/secure/me`, {
    method,
    headers: { authorization: `Bearer ${idToken}`, ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    signal: AbortSignal.timeout(ANSWER_BOUND_MS),
  });
}

/** The site counters event-consumer keeps in Redis, read through public-api (which asks event-consumer's read API). */
export async function siteStats(stack: Stack): Promise<{ messages: number; users: number; signIns: number }> {
  const response = await fetch(`${stack.services['public-api'].url}/api/public/stats`, { signal: AbortSignal.timeout(ANSWER_BOUND_MS) });
  if (!response.ok) throw new Error(`GET /api/public/stats answered ${response.status}`);
  return (await response.json()) as { messages: number; users: number; signIns: number };
}

/** A retryable failure as the kit answers it: 503, problem+json, Retry-After. */
export async function expectRetryableProblem(response: Response): Promise<void> {
  const body = await response.text();
  expect(response.status, body).toBe(503);
  expect(response.headers.get('content-type')).toMatch(/^application\/problem\+json/);
  expect(Number(response.headers.get('retry-after'))).toBeGreaterThan(0);
  expect((JSON.parse(body) as { status: number }).status).toBe(503);
}

/**
 * Polls `request` until it answers `status` (200 by default), for RECOVERY_CAP_MS at most; throws
 * with the last answer otherwise. Answers on the way (a 503 while a pool reconnects) are expected.
 */
export async function untilAnswers(what: string, request: () => Promise<Response>, status = 200): Promise<void> {
  let last = 'no answer';
  try {
    await waitFor(
      async () => {
        const response = await request();
        last = `${response.status} ${(await response.text()).slice(0, 300)}`;
        return response.status === status;
      },
      { timeoutMs: RECOVERY_CAP_MS, intervalMs: 100, what },
    );
  } catch (error) {
    throw new Error(`${(error as Error).message}; last answer: ${last}`, { cause: error });
  }
}

/**
 * Sends `request` again while it answers 503 (the contract's "retry later", which a busy machine
 * may answer too), for RECOVERY_CAP_MS at most, and returns the first other answer: for a check
 * of an answer that is not a 503, without counting a load-induced 503 as a fault.
 */
export async function pastUnavailable(request: () => Promise<Response>): Promise<Response> {
  const giveUp = Date.now() + RECOVERY_CAP_MS;
  for (;;) {
    const response = await request();
    if (response.status !== 503 || Date.now() > giveUp) return response;
    await response.body?.cancel();
    await sleep(250);
  }
}
