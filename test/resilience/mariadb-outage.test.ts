import { signUpUser, type EmulatorUser } from '@testbed/service-kit/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { expectRetryableProblem, listMessages, me, postMessage, untilAnswers } from './requests.js';
import { startStack, type Stack } from './stack.js';

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

/** Every MySQL-backed endpoint of both APIs, at once. */
const mysqlRequests = () => [listMessages(stack), postMessage(stack, 'during the outage'), me(stack, user.idToken)];

async function expectRecovery(): Promise<void> {
  await untilAnswers('public-api to list messages again', () => listMessages(stack));
  await untilAnswers('public-api to accept a post again', () => postMessage(stack, 'after the outage'), 201);
  await untilAnswers('secure-api to read the profile again', () => me(stack, user.idToken));
}

describe('when MariaDB is stopped', () => {
  it('then both APIs answer 503 problem+json with Retry-After within the bound, and serve again once it is back, without a restart', async () => {
    await stack.mariadb.stop();
    try {
      for (const response of await Promise.all(mysqlRequests())) await expectRetryableProblem(response);
    } finally {
      await stack.mariadb.start();
    }
    await expectRecovery();
    for (const service of Object.values(stack.services)) expect(service.process?.child.exitCode, service.name).toBeNull();
  });
});

describe('when MariaDB is frozen (SIGSTOP: connections open, nothing answers)', () => {
  it('then both APIs answer 503 problem+json with Retry-After within the bound, and serve again once it is thawed', async () => {
    stack.mariadb.signal('SIGSTOP');
    try {
      for (const response of await Promise.all(mysqlRequests())) await expectRetryableProblem(response);
    } finally {
      stack.mariadb.signal('SIGCONT');
    }
    await expectRecovery();
    for (const service of Object.values(stack.services)) expect(service.process?.child.exitCode, service.name).toBeNull();
  });
});
