import type { ChildProcess } from 'node:child_process';
import { waitForUrl } from '@testbed/service-kit';

/** Waits until `url` answers 2xx; fails early when the process dies. */
export function waitUntilReady(name: string, url: string, child: ChildProcess, timeoutMs: number): Promise<void> {
  return waitForUrl(url, {
    timeoutMs,
    intervalMs: 150,
    what: `${name} to be ready (${url})`,
    giveUp: () =>
      child.exitCode === null && child.signalCode === null
        ? undefined
        : `${name} exited (${child.signalCode ?? `code ${child.exitCode}`}) before it was ready; its log is above`,
  });
}
