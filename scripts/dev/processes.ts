// The child processes of one local stack: started in their own process groups, their output
// handed on line by line, and stopped together so nothing outlives the stack.
import { setTimeout as sleep } from 'node:timers/promises';
import { spawn, type ChildProcess } from 'node:child_process';
import { createInterface } from 'node:readline';

export type LineSink = (source: string, line: string) => void;

interface Member {
  readonly name: string;
  readonly child: ChildProcess;
  readonly exited: Promise<void>;
}

const running = (child: ChildProcess) => child.exitCode === null && child.signalCode === null;

export class ProcessGroup {
  readonly #members: Member[] = [];
  #stopping = false;

  constructor(
    private readonly sink: LineSink,
    /** Called when a child ends on its own, which breaks the stack. */
    private readonly onUnexpectedExit: (name: string, reason: string) => void,
  ) {}

  run(name: string, command: string, args: readonly string[], options: { cwd: string; env: NodeJS.ProcessEnv }): ChildProcess {
    // A stop that came during start-up (Ctrl-C) must not be outrun by a process started after it.
    if (this.#stopping) throw new Error(`not starting ${name}: the stack is stopping`);
    // Its own process group, so a stop reaches any grandchildren too, and a terminal's Ctrl-C
    // reaches only us, which then stops things in order.
    const child = spawn(command, args, { ...options, stdio: ['ignore', 'pipe', 'pipe'], detached: true });
    for (const stream of [child.stdout, child.stderr]) {
      if (!stream) continue;
      createInterface({ input: stream }).on('line', (line) => {
        if (line.trim()) this.sink(name, line);
      });
    }
    const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
    child.once('exit', (code, signal) => {
      if (!this.#stopping) this.onUnexpectedExit(name, signal ?? `exit code ${code}`);
    });
    child.once('error', (error) => this.sink(name, `could not start: ${error.message}`));
    this.#members.push({ name, child, exited });
    return child;
  }

  /** SIGTERM to every group, SIGKILL to whatever is still there after `graceMs`. */
  async stop(graceMs: number): Promise<void> {
    this.#stopping = true;
    const live = this.#members.filter(({ child }) => running(child));
    for (const { child } of live) signalGroup(child, 'SIGTERM');
    const timer = setTimeout(() => {
      for (const { name, child } of live) {
        if (!running(child)) continue;
        this.sink(name, `did not stop within ${graceMs / 1000}s; killing it`);
        signalGroup(child, 'SIGKILL');
      }
    }, graceMs);
    await Promise.all(live.map((member) => member.exited));
    clearTimeout(timer);
    // A wrapper may have exited and left its own children behind in the group.
    for (const { child } of this.#members) signalGroup(child, 'SIGKILL');
    // A killed process takes a moment to go; "stopped" must mean gone.
    await Promise.all(this.#members.map(({ child }) => groupGone(child, GROUP_GONE_WAIT_MS)));
  }
}

const GROUP_GONE_WAIT_MS = 2_000;

/** Resolves once no process is left in the child's group, or after `waitMs` (a zombie nobody reaps still counts). */
async function groupGone(child: ChildProcess, waitMs: number): Promise<void> {
  if (!child.pid) return;
  const deadline = Date.now() + waitMs;
  while (Date.now() < deadline) {
    try {
      process.kill(-child.pid, 0);
    } catch {
      return;
    }
    await sleep(50);
  }
}

function signalGroup(child: ChildProcess, signal: NodeJS.Signals): void {
  if (!child.pid) return;
  try {
    process.kill(-child.pid, signal);
  } catch {
    // The group is already gone.
  }
}
