import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, describe, expect, it } from 'vitest';
import { SCREENSHOT_DIR } from '../frontend/e2e/screenshots.js';
import { changedPaths, treeState } from '../scripts/tree-state.mjs';

const root = resolve(import.meta.dirname, '..');

describe('browser-test screenshots', () => {
  it('when the browser tests save screenshots, then they go to a git-ignored folder outside docs/', () => {
    const dir = relative(root, fileURLToPath(SCREENSHOT_DIR));

    expect(dir.split('/')[0]).not.toBe('docs');
    // Exit status 0 means ignored; anything else throws.
    expect(() => execFileSync('git', ['check-ignore', '-q', join(dir, 'sign-in.png')], { cwd: root })).not.toThrow();
  });
});

describe('treeState / changedPaths (what pnpm test compares around the test run)', () => {
  let repo: string;
  const git = (...args: string[]) => execFileSync('git', ['-c', 'user.email=t@example.test', '-c', 'user.name=t', ...args], { cwd: repo });

  function makeRepo() {
    repo = mkdtempSync(join(tmpdir(), 'tree-state-'));
    git('init', '-q');
    writeFileSync(join(repo, '.gitignore'), 'out/\n');
    writeFileSync(join(repo, 'tracked.txt'), 'one\n');
    writeFileSync(join(repo, 'edited.txt'), 'one\n');
    git('add', '.');
    git('commit', '-qm', 'init');
    // A change the developer had before the run: only further changes count.
    writeFileSync(join(repo, 'edited.txt'), 'two\n');
  }

  afterEach(() => rmSync(repo, { recursive: true, force: true }));

  it('when nothing is written, or only ignored files, then no path changed', () => {
    makeRepo();
    const before = treeState(repo);
    execFileSync('mkdir', ['-p', join(repo, 'out')]);
    writeFileSync(join(repo, 'out', 'shot.png'), 'png');

    expect(changedPaths(before, treeState(repo))).toEqual([]);
  });

  it('when a run rewrites a tracked file, edits an already-edited one or leaves a new unignored file, then each is reported', () => {
    makeRepo();
    const before = treeState(repo);
    writeFileSync(join(repo, 'tracked.txt'), 'rewritten\n');
    writeFileSync(join(repo, 'edited.txt'), 'three\n');
    writeFileSync(join(repo, 'stray.log.txt'), 'x');

    expect(changedPaths(before, treeState(repo))).toEqual(['edited.txt', 'stray.log.txt', 'tracked.txt']);
  });
});
