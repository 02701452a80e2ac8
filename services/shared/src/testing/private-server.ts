import { spawn, type ChildProcess } from 'node:child_process';
import { createConnection } from 'node:net';
import { waitFor } from '../wait.js';

/**
 * A server of the test's own on a fixed port, to stop and start at will (the shared ones must never
 * be stopped). A restart comes back on the same port, like a real server coming back.
 */
export interface PrivateServer {
  readonly port: number;
  start(): Promise<void>;
  /** SIGTERM is a clean shutdown; SIGKILL is a crash. Does nothing when the server is not running. */
  stop(signal?: NodeJS.Signals): Promise<void>;
  /**
   * Sends `signal` to the running server without waiting: SIGSTOP freezes it (connections stay
   * open, nothing answers: a hung server), SIGCONT thaws it. Does nothing when it is not running.
   */
  signal(signal: NodeJS.Signals): void;
}

const acceptsConnections = (port: number) =>
  new Promise<boolean>((resolve) => {
    const socket = createConnection({ host: '127.0.0.1', port });
    socket.once('connect', () => {
      socket.destroy();
      resolve(true);
    });
    socket.once('error', () => resolve(false));
  });

/**
 * `command args` must make the server listen on 127.0.0.1:`port`; start() waits until it does, for
 * `startTimeoutMs` at most (10 s by default; a database recovering from a crash may need longer).
 */
export function privateServer(command: string, args: readonly string[], port: number, options: { startTimeoutMs?: number } = {}): PrivateServer {
  let child: ChildProcess | undefined;
  return {
    port,
    start: async () => {
      if (child) return;
      child = spawn(command, args, { stdio: 'ignore' });
      await waitFor(() => acceptsConnections(port), { what: `${command} on ${port}`, timeoutMs: options.startTimeoutMs ?? 10_000 });
    },
    stop: async (signal = 'SIGTERM') => {
      const running = child;
      child = undefined;
      if (!running || running.exitCode !== null || running.signalCode !== null) return;
      const exited = new Promise((resolve) => running.once('exit', resolve));
      running.kill(signal);
      await exited;
    },
    signal: (signal) => {
      if (child && child.exitCode === null && child.signalCode === null) child.kill(signal);
    },
  };
}
