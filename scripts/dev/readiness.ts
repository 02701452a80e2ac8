import type { ChildProcess } from 'node:child_process';

export async function answersOk(url: string): Promise<boolean> {
  try {
    return (await fetch(url, { signal: AbortSignal.timeout(1_000) })).ok;
  } catch {
    return false;
  }
}

/** Polls `url` until it answers 200; fails early when the process dies. */
export async function waitUntilReady(name: string, url: string, child: ChildProcess, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await answersOk(url))) {
    if (child.exitCode !== null || child.signalCode !== null) {
      throw new Error(`${name} exited (${child.signalCode ?? `code ${child.exitCode}`}) before it was ready; its log is above`);
    }
    if (Date.now() > deadline) throw new Error(`${name} was not ready within ${timeoutMs / 1000}s (${url})`);
    await new Promise((r) => setTimeout(r, 150));
  }
}
