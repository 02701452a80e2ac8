import { spawn } from 'node:child_process';
import { join } from 'node:path';

/** The repository root (scripts/images/ is two levels down). */
export const REPO_ROOT = join(import.meta.dirname, '..', '..');

/**
 * The project's podman configuration (runc, explicit ulimits): every podman call made by the project
 * points CONTAINERS_CONF at it, so nothing under /etc needs changing. See docs/images.md.
 */
export const CONTAINERS_CONF = join(import.meta.dirname, 'containers.conf');

/** The environment for podman and buildah: the caller's, plus CONTAINERS_CONF. */
export function podmanEnv(): NodeJS.ProcessEnv {
  return { ...process.env, CONTAINERS_CONF };
}

/** What a finished command printed. */
export interface CommandResult {
  readonly code: number;
  readonly stdout: string;
  readonly stderr: string;
}

/** Options for {@link run}. */
export interface RunOptions {
  /** Copy the command's output to this process's stderr as it comes (long builds). */
  readonly echo?: boolean;
  /** Text written to the command's stdin. */
  readonly input?: string;
  readonly cwd?: string;
  /** Kill the command (SIGKILL) after this many milliseconds. */
  readonly timeoutMs?: number;
}

/**
 * Runs a command to completion with the podman environment.
 * @throws Error naming the command and its last output lines when it exits non-zero.
 */
export async function run(command: string, args: readonly string[], options: RunOptions = {}): Promise<CommandResult> {
  const result = await runUnchecked(command, args, options);
  if (result.code !== 0) {
    const tail = `${result.stdout}\n${result.stderr}`.trim().split('\n').slice(-30).join('\n');
    throw new Error(`${command} ${args.join(' ')} exited with ${result.code}:\n${tail}`);
  }
  return result;
}

/** Like {@link run}, but returns the exit code instead of throwing. */
export function runUnchecked(command: string, args: readonly string[], options: RunOptions = {}): Promise<CommandResult> {
  return new Promise((resolve, reject) => {
    const stdin = options.input === undefined ? 'ignore' : 'pipe';
    const child = spawn(command, args, { cwd: options.cwd ?? REPO_ROOT, env: podmanEnv(), stdio: [stdin, 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout?.on('data', (chunk: Buffer) => {
      stdout += chunk.toString();
      if (options.echo) process.stderr.write(chunk);
    });
    child.stderr?.on('data', (chunk: Buffer) => {
      stderr += chunk.toString();
      if (options.echo) process.stderr.write(chunk);
    });
    const timer = options.timeoutMs ? setTimeout(() => child.kill('SIGKILL'), options.timeoutMs) : undefined;
    child.once('error', reject);
    child.once('close', (code, signal) => {
      if (timer) clearTimeout(timer);
      resolve({ code: code ?? (signal ? 128 : 1), stdout, stderr });
    });
    if (child.stdin) {
      // A command that exits without reading its input must not crash this process.
      child.stdin.on('error', () => {});
      child.stdin.end(options.input);
    }
  });
}

/** Runs `podman <args>` (see {@link run}). */
export function podman(args: readonly string[], options: RunOptions = {}): Promise<CommandResult> {
  return run('podman', args, options);
}

/** Whether the local image store holds `reference` (e.g. `localhost/testbed/public-api:dev`). */
export async function imageExists(reference: string): Promise<boolean> {
  return (await runUnchecked('podman', ['image', 'exists', reference])).code === 0;
}

/** The image's size in bytes as podman reports it (uncompressed, all layers). */
export async function imageSize(reference: string): Promise<number> {
  const { stdout } = await podman(['image', 'inspect', '--format', '{{.Size}}', reference]);
  return Number(stdout.trim());
}

/** Bytes as megabytes (10^6) with one decimal, the unit `podman images` and registries show. */
export function formatMegabytes(bytes: number): string {
  return `${(bytes / 1e6).toFixed(1)} MB`;
}
