import { setTimeout as sleep } from 'node:timers/promises';
import { keepAliveLoad, signUpUser, waitFor, type KeepAliveLoad } from '@testbed/service-kit/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { RECOVERY_CAP_MS, me, untilAnswers } from './requests.js';
import { startStack, type Stack, type StackService } from './stack.js';

// Readiness goes false at SIGTERM and each service keeps serving this long (the pods use 5000), so
// the load, like a load balancer that has seen the endpoint go, stops starting requests inside it.
const SHUTDOWN_DELAY_MS = 1_500;
// Few connections: enough for requests to be in flight on every keep-alive connection at SIGTERM,
// not so many that a loaded machine turns the load itself into 503s.
const CONNECTIONS = 4;

let stack: Stack;

beforeAll(async () => {
  stack = await startStack({
    SHUTDOWN_DELAY_MS: String(SHUTDOWN_DELAY_MS),
    SHUTDOWN_TIMEOUT_MS: '15000',
    // What is measured is the drain, not capacity: waits long enough that a busy machine does not
    // turn a slow request into a 503 that would be counted as a failure of the shutdown.
    MYSQL_POOL_WAIT_TIMEOUT_MS: '10000',
    MYSQL_QUERY_TIMEOUT_MS: '10000',
    PUBLIC_API_TIMEOUT_MS: '10000',
  });
});

afterAll(async () => {
  await stack?.dispose();
});

/** SIGTERM to `service` while `load` runs; returns what the load saw, the exit code and the output. */
async function sigtermUnder(service: StackService, load: KeepAliveLoad) {
  const running = service.process;
  if (!running) throw new Error(`${service.name} is not running`);
  await load.until((outcome) => outcome.completed >= 40);
  const stopped = service.stop('SIGTERM');
  const completedAtSigterm = load.snapshot().completed;
  await sleep(SHUTDOWN_DELAY_MS / 3);
  const outcome = await load.stop();
  return { outcome, completedAtSigterm, code: await stopped, output: running.output() };
}

// secure-api first, auth-service last: each one's load needs the services after it.
describe('when a service gets SIGTERM under keep-alive load', () => {
  it('then secure-api fails no request (profile reads) and exits 0', async () => {
    const user = await signUpUser();
    await untilAnswers('secure-api to read the profile', () => me(stack, user.idToken));
    const load = keepAliveLoad({
      url: `${stack.services['secure-api'].url}/api/secure/me`,
      connections: CONNECTIONS,
      headers: () => ({ authorization: `Bearer ${user.idToken}` }),
    });
    const { outcome, completedAtSigterm, code, output } = await sigtermUnder(stack.services['secure-api'], load);
    expect(outcome.failures, output).toEqual([]);
    expect(outcome.completed, 'the load ran while it shut down').toBeGreaterThan(completedAtSigterm);
    expect(code, output).toBe(0);
  });

  it('then public-api fails no request (posts), every 201 is in the feed, and it exits 0', async () => {
    const load = keepAliveLoad({
      url: `${stack.services['public-api'].url}/api/public/messages`,
      connections: CONNECTIONS,
      body: (n) => JSON.stringify({ text: `shutdown-load-${n}` }),
    });
    const { outcome, completedAtSigterm, code, output } = await sigtermUnder(stack.services['public-api'], load);
    expect(outcome.failures, output).toEqual([]);
    expect(outcome.completed, 'the load ran while it shut down').toBeGreaterThan(completedAtSigterm);
    expect(code, output).toBe(0);
    // Each accepted post's event left through the outbox before the exit, or does after a restart.
    await stack.services['public-api'].start();
    const posted = () => stack.activityRows('testbed.message.posted');
    await waitFor(async () => (await posted()) >= outcome.succeeded.length, {
      timeoutMs: RECOVERY_CAP_MS,
      what: 'every accepted post to reach the activity feed',
    }).catch(() => undefined);
    expect(await posted()).toBe(outcome.succeeded.length);
  });

  for (const name of ['event-consumer', 'auth-service'] as const) {
    it(`then ${name} fails no request on its HTTP port (health) and exits 0`, async () => {
      const load = keepAliveLoad({ url: `${stack.services[name].url}/healthz`, connections: CONNECTIONS });
      const { outcome, completedAtSigterm, code, output } = await sigtermUnder(stack.services[name], load);
      expect(outcome.failures, output).toEqual([]);
      expect(outcome.completed, 'the load ran while it shut down').toBeGreaterThan(completedAtSigterm);
      expect(code, output).toBe(0);
    });
  }
});
