import { spawn, type ChildProcess, type SpawnOptions } from 'node:child_process';

/** A child process whose output is collected, for assertions and for failure messages. */
export interface CapturedProcess {
  readonly child: ChildProcess;
  /** Everything the process wrote to stdout and stderr so far. */
  output(): string;
  /** The exit code (null after a signal), once the process has exited and its output has ended. */
  readonly exited: Promise<number | null>;
}

export function spawnCapturingOutput(command: string, args: readonly string[], options: Omit<SpawnOptions, 'stdio'> = {}): CapturedProcess {
  const child = spawn(command, args, { ...options, stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  child.stdout?.on('data', (chunk: Buffer) => (output += chunk.toString()));
  child.stderr?.on('data', (chunk: Buffer) => (output += chunk.toString()));
  // 'close', not 'exit': it also waits for stdout and stderr to end, so output() is complete (a
  // process's children that share its pipes, like pnpm's, may still be writing after it exits).
  const exited = new Promise<number | null>((resolve) => child.once('close', (code) => resolve(code)));
  return { child, output: () => output, exited };
}

export interface ServiceProcess extends CapturedProcess {
  stop(signal?: NodeJS.Signals): Promise<number | null>;
}

/**
 * Runs a service the way `pnpm --filter <name> start` does (TypeScript sources through tsx), in
 * its own process, so tests exercise the real entry point, real signals and real crashes.
 */
export function startServiceProcess(packageDir: string, env: Record<string, string>): ServiceProcess {
  const started = spawnCapturingOutput(
    process.execPath,
    ['--conditions=@testbed/source', '--import', 'tsx', '--import', '@testbed/service-kit/telemetry/register', 'src/main.ts'],
    // Tracing off unless a test turns it on: nothing would collect the spans.
    { cwd: packageDir, env: { OTEL_SDK_DISABLED: 'true', ...process.env, ...env } },
  );
  const { child, exited } = started;
  return {
    ...started,
    stop: async (signal = 'SIGTERM') => {
      if (child.exitCode === null && child.signalCode === null) child.kill(signal);
      return exited;
    },
  };
}
