import { signInUser, signUpUser, type EmulatorUser } from '@testbed/service-kit/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { me, pastUnavailable, untilAnswers } from './requests.js';
import { startStack, type Stack } from './stack.js';

// docs/auth.md, "Two levels, and why": without Redis auth-service cannot tell an old token from the
// newest one, so it caps every session at AUTHORIZED: reads keep working, writes (PUT/DELETE
// /api/secure/me) answer 401 asking for a step-up that succeeds once Redis is back.

let stack: Stack;
let user: EmulatorUser;

beforeAll(async () => {
  stack = await startStack();
  user = await signUpUser();
  await untilAnswers('a first profile write', () => me(stack, user.idToken, 'PUT', { displayName: 'Before', bio: '' }));
});

afterAll(async () => {
  await stack?.dispose();
});

/** A fresh sign-in: the token a write needs (AUTHENTICATED while Redis answers). */
const freshToken = async () => (await signInUser(user.email, user.password)).idToken;

async function expectDegradedButServing(): Promise<void> {
  // A read answers 200. Polled, so that a 503 the machine's load causes is not taken for a fault;
  // with Redis taken for a fault, reads would never answer 200 and the poll would fail.
  await untilAnswers('secure-api to read the profile without Redis', () => me(stack, user.idToken));
  const token = await freshToken();
  const write = await pastUnavailable(() => me(stack, token, 'PUT', { displayName: 'During', bio: '' }));
  const body = await write.text();
  expect(write.status, body).toBe(401);
  expect(write.headers.get('www-authenticate')).toMatch(/error="insufficient_user_authentication"/);
}

async function expectWritesBack(): Promise<void> {
  const token = await freshToken();
  await untilAnswers('secure-api to accept a fresh write again', () => me(stack, token, 'PUT', { displayName: 'After', bio: '' }));
  const read = await pastUnavailable(() => me(stack, user.idToken));
  expect(((await read.json()) as { displayName: string }).displayName).toBe('After');
}

describe('when Redis is stopped', () => {
  it('then secure-api keeps serving reads, asks writes for a step-up (401), and accepts them again once Redis is back', async () => {
    await stack.redis.stop();
    try {
      await expectDegradedButServing();
    } finally {
      await stack.redis.start();
    }
    await expectWritesBack();
  });
});

describe('when Redis is frozen (SIGSTOP)', () => {
  it('then reads keep answering within the Redis budget, writes ask for a step-up, and writes come back once it is thawed', async () => {
    stack.redis.signal('SIGSTOP');
    try {
      await expectDegradedButServing();
    } finally {
      stack.redis.signal('SIGCONT');
    }
    await expectWritesBack();
  });
});
