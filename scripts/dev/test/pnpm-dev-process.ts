// Runs `pnpm dev` as a person does: a real process in its own process group (like a terminal's
// foreground job, so a Ctrl-C can be sent to all of it), on free ports, in embedded mode.
import { setTimeout as sleep } from 'node:timers/promises';
import { freePorts, spawnCapturingOutput, type CapturedProcess } from '@testbed/service-kit/testing';
import { PORT_ENV, type StackPorts } from '../ports.js';
import { REPO_ROOT } from '../stack.js';
import { descendantsOf, isAlive } from './process-tree.js';

export interface PnpmDev extends CapturedProcess {
  readonly gatewayPort: number;
  /** Resolves once the output matches; rejects if the process ends first or after `timeoutMs`. */
  waitForOutput(pattern: RegExp, timeoutMs: number): Promise<void>;
  /** Sends SIGINT to the whole process group, as a terminal's Ctrl-C does. */
  ctrlC(): void;
  /** Last resort after a failed test: SIGKILL for the process and everything below it. */
  kill(): void;
}

export async function startPnpmDev(extraEnv: Record<string, string> = {}): Promise<PnpmDev> {
  const [gateway, authGrpc, authHttp, publicApi, publicApiInternal, secureApi, eventConsumer] = await freePorts(7);
  const ports: Omit<StackPorts, 'authEmulator'> = {
    gateway: gateway!,
    authGrpc: authGrpc!,
    authHttp: authHttp!,
    publicApi: publicApi!,
    publicApiInternal: publicApiInternal!,
    secureApi: secureApi!,
    eventConsumer: eventConsumer!,
  };
  const portEnv = Object.fromEntries(Object.entries(ports).map(([key, port]) => [PORT_ENV[key as keyof typeof ports], String(port)]));
  const started = spawnCapturingOutput('pnpm', ['dev'], {
    cwd: REPO_ROOT,
    // Empty URLs mean "not set", whatever the shell or .env say: embedded mode.
    env: { ...process.env, ...portEnv, MYSQL_URL: '', REDIS_URL: '', NATS_URL: '', ...extraEnv },
    detached: true,
  });
  const { child, output } = started;

  return {
    ...started,
    gatewayPort: ports.gateway,
    async waitForOutput(pattern, timeoutMs) {
      const deadline = Date.now() + timeoutMs;
      while (!pattern.test(output())) {
        if (child.exitCode !== null) throw new Error(`pnpm dev exited (code ${child.exitCode}):\n${output()}`);
        if (Date.now() > deadline) throw new Error(`pnpm dev never printed ${pattern}:\n${output()}`);
        await sleep(100);
      }
    },
    ctrlC: () => process.kill(-(child.pid ?? 0), 'SIGINT'),
    kill() {
      if (!child.pid || child.exitCode !== null) return;
      // Listed first: once pnpm is gone its descendants belong to init and cannot be found from it.
      const left = descendantsOf(child.pid);
      try {
        process.kill(-child.pid, 'SIGKILL');
      } catch (error) {
        // ESRCH: pnpm died of a signal (so exitCode stayed null) and took its whole group with it.
        if ((error as NodeJS.ErrnoException).code !== 'ESRCH') throw error;
      }
      for (const pid of left) if (isAlive(pid)) process.kill(pid, 'SIGKILL');
    },
  };
}
