// What `pnpm test` compares before and after the test run: tests must leave every tracked file as
// they found it and write only to ignored folders (.test-results/, temp dirs).
import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';

const git = (cwd, args) => execFileSync('git', args, { cwd, encoding: 'buffer', maxBuffer: 256 * 1024 * 1024 });

/**
 * The state of the work tree at `cwd`: for each path that differs from HEAD or is untracked (and not
 * ignored), its status and a hash of its content. Paths equal to HEAD are absent.
 * @returns Map of repository-relative path → `<status> <sha256>`.
 */
export function treeState(cwd = process.cwd()) {
  const state = new Map();
  const entries = git(cwd, ['status', '--porcelain=v1', '-z', '--untracked-files=all', '--no-renames']).toString('utf8').split('\0').filter(Boolean);
  for (const entry of entries) {
    const status = entry.slice(0, 2);
    const path = entry.slice(3);
    let digest = 'deleted';
    try {
      digest = createHash('sha256')
        .update(git(cwd, ['hash-object', '--no-filters', '--', path]))
        .digest('hex');
    } catch {
      // Deleted from the work tree: the status says so.
    }
    state.set(path, `${status} ${digest}`);
  }
  return state;
}

/** The paths whose state differs between two treeState() snapshots, sorted. */
export function changedPaths(before, after) {
  const paths = new Set([...before.keys(), ...after.keys()]);
  return [...paths].filter((path) => before.get(path) !== after.get(path)).sort();
}
