import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';

/** A throwaway git repository with real commits, for the delivery scripts' tests. */
export interface GitFixture {
  readonly dir: string;
  /** Runs git in the repository and returns its trimmed output. */
  git(...args: string[]): string;
  /** Writes files (path → content) and commits them; returns the new commit's SHA. */
  commit(files: Record<string, string>, message?: string): string;
  remove(): void;
}

/** Creates a repository (optionally a clone of a bare `origin`, for scripts that push). */
export function gitFixture(options: { withOrigin?: boolean } = {}): GitFixture {
  const root = mkdtempSync(path.join(tmpdir(), 'testbed-cicd-'));
  const dir = path.join(root, 'work');
  const env = { ...process.env, GIT_CONFIG_NOSYSTEM: '1', HOME: root };
  const run = (cwd: string, ...args: string[]) => execFileSync('git', args, { cwd, env, encoding: 'utf8' }).trim();
  if (options.withOrigin) {
    run(root, 'init', '--quiet', '--bare', '--initial-branch=develop', 'origin.git');
    run(root, 'clone', '--quiet', path.join(root, 'origin.git'), 'work');
  } else {
    mkdirSync(dir);
    run(dir, 'init', '--quiet', '--initial-branch=develop');
  }
  run(dir, 'config', 'user.name', 'Test');
  run(dir, 'config', 'user.email', 'test@example.test');
  const git = (...args: string[]) => run(dir, ...args);
  return {
    dir,
    git,
    commit(files, message = 'change') {
      for (const [file, content] of Object.entries(files)) {
        mkdirSync(path.dirname(path.join(dir, file)), { recursive: true });
        writeFileSync(path.join(dir, file), content);
      }
      git('add', '--all');
      git('commit', '--quiet', '-m', message);
      return git('rev-parse', 'HEAD');
    },
    remove: () => rmSync(root, { recursive: true, force: true }),
  };
}

/** Where the delivery scripts live, for running them as the Tasks do. */
export const SCRIPTS = path.resolve('.tekton/scripts');
