import { setTimeout as sleep } from 'node:timers/promises';
import { signUpUser, type EmulatorUser } from '@testbed/service-kit/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { expectRetryableProblem, me, untilAnswers } from './requests.js';
import { startStack, type Stack } from './stack.js';

// Issue 11: long enough for the gRPC client's reconnect backoff to grow to its cap.
const OUTAGE_MS = 60_000;
const PROBE_INTERVAL_MS = 2_000;

let stack: Stack;
let user: EmulatorUser;

beforeAll(async () => {
  stack = await startStack();
  user = await signUpUser();
  await untilAnswers('a first read of the profile', () => me(stack, user.idToken));
});

afterAll(async () => {
  await stack?.dispose();
});

describe(`when auth-service is down for ${OUTAGE_MS / 1000} s`, () => {
  it('then secure-api answers 503 problem+json with Retry-After (never 401) throughout, and serves again once it is back, without a restart', async () => {
    const authService = stack.services['auth-service'];
    expect(await authService.stop('SIGTERM')).toBe(0);
    const outageEnds = Date.now() + OUTAGE_MS;
    let probes = 0;
    try {
      while (Date.now() < outageEnds) {
        await expectRetryableProblem(await me(stack, user.idToken));
        probes += 1;
        await sleep(PROBE_INTERVAL_MS);
      }
    } finally {
      await authService.start();
    }
    expect(probes).toBeGreaterThan(OUTAGE_MS / PROBE_INTERVAL_MS / 2);
    await untilAnswers('secure-api to read the profile again', () => me(stack, user.idToken));
    expect(stack.services['secure-api'].process?.child.exitCode).toBeNull();
  });
});
