#!/usr/bin/env node
// @ts-check
// Which images a push must rebuild: the diff previous..revision mapped onto the workspace's
// package graph. Tekton's detect-changes Task runs this file; so do the tests.
//
// Usage: detect-changes.mjs --previous <sha> --revision <sha> [--repo <dir>] [--results <dir>]
// Prints the image names as a JSON array; with --results also writes the Tekton results
// `images` (JSON array) and `count`.
import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { IMAGES } from './images.mjs';
import { isMain } from './cli.mjs';

/** GitHub's `before` for a branch's first push: there is nothing to diff against. */
const NO_COMMIT = /^0{40}$/;

/** Paths whose change can't affect any image (documentation, delivery config). */
const NEVER_BUILT = [/\.md$/i, /^docs\//, /^manifests\//, /^\.tekton\//, /^skaffold\.yaml$/, /^LICENSE/, /^\.github\//];

/** Repository-wide inputs of every build: a change here rebuilds everything. */
const AFFECTS_ALL = [/^pnpm-lock\.yaml$/, /^pnpm-workspace\.yaml$/, /^package\.json$/, /^tsconfig\.base\.json$/, /^\.npmrc$/];

/**
 * The workspace packages under the repository root: directory, name and workspace dependencies.
 * @param {string} repo
 * @returns {Array<{ dir: string; name: string; deps: string[] }>}
 */
function workspacePackages(repo) {
  const dirs = ['protos', 'frontend'];
  for (const parent of ['services', 'packages']) {
    const full = path.join(repo, parent);
    if (!existsSync(full)) continue;
    for (const entry of readdirSync(full, { withFileTypes: true })) {
      if (entry.isDirectory()) dirs.push(`${parent}/${entry.name}`);
    }
  }
  return dirs
    .filter((dir) => existsSync(path.join(repo, dir, 'package.json')))
    .map((dir) => {
      const manifest = JSON.parse(readFileSync(path.join(repo, dir, 'package.json'), 'utf8'));
      const all = { ...manifest.dependencies, ...manifest.devDependencies };
      const deps = Object.entries(all)
        .filter(([, version]) => String(version).startsWith('workspace:'))
        .map(([name]) => name);
      return { dir, name: manifest.name, deps };
    });
}

/**
 * The images whose build reads any of the changed files.
 * @param {string[]} changedFiles paths relative to the repository root, as `git diff --name-only` prints them
 * @param {Array<{ dir: string; name: string; deps: string[] }>} packages
 * @returns {string[]} image names in {@link IMAGES} order
 */
export function affectedImages(changedFiles, packages) {
  const byName = new Map(packages.map((pkg) => [pkg.name, pkg]));
  /** @type {(dir: string, seen?: Set<string>) => Set<string>} every package dir an image's package depends on, itself included */
  const closure = (dir, seen = new Set()) => {
    if (seen.has(dir)) return seen;
    seen.add(dir);
    const pkg = packages.find((candidate) => candidate.dir === dir);
    for (const dep of pkg?.deps ?? []) {
      const target = byName.get(dep);
      if (target) closure(target.dir, seen);
    }
    return seen;
  };
  const inputs = new Map(IMAGES.map((image) => [image.name, closure(image.dir)]));
  const affected = new Set();
  for (const file of changedFiles) {
    if (NEVER_BUILT.some((pattern) => pattern.test(file))) continue;
    if (AFFECTS_ALL.some((pattern) => pattern.test(file))) return IMAGES.map((image) => image.name);
    const owner = packages.filter((pkg) => file.startsWith(`${pkg.dir}/`)).sort((a, b) => b.dir.length - a.dir.length)[0];
    // A file outside every package (a shared build script, a new top-level config) may feed any
    // build: rebuilding everything is the safe answer.
    if (!owner) return IMAGES.map((image) => image.name);
    for (const [image, dirs] of inputs) if (dirs.has(owner.dir)) affected.add(image);
  }
  return IMAGES.map((image) => image.name).filter((name) => affected.has(name));
}

/**
 * The files changed between two commits, or undefined when the previous commit is unknown
 * (a first push, or a force push that rewrote it away).
 * @param {string} repo
 * @param {string} previous
 * @param {string} revision
 * @returns {string[] | undefined}
 */
export function changedFiles(repo, previous, revision) {
  if (!previous || NO_COMMIT.test(previous)) return undefined;
  const git = (/** @type {string[]} */ ...args) => execFileSync('git', ['-C', repo, ...args], { encoding: 'utf8' });
  try {
    git('cat-file', '-e', `${previous}^{commit}`);
  } catch {
    return undefined;
  }
  return git('diff', '--name-only', '--no-renames', previous, revision).split('\n').filter(Boolean);
}

/**
 * The images to rebuild for a push.
 * @param {{ repo: string; previous: string; revision: string }} push
 * @returns {string[]}
 */
export function detectChanges({ repo, previous, revision }) {
  const files = changedFiles(repo, previous, revision);
  if (files === undefined) return IMAGES.map((image) => image.name);
  return affectedImages(files, workspacePackages(repo));
}

function main() {
  const { values } = parseArgs({
    options: {
      previous: { type: 'string', default: '' },
      revision: { type: 'string' },
      repo: { type: 'string', default: '.' },
      results: { type: 'string' },
    },
  });
  if (!values.revision) {
    console.error('usage: detect-changes.mjs --previous <sha> --revision <sha> [--repo <dir>] [--results <dir>]');
    process.exit(2);
  }
  const images = detectChanges({ repo: values.repo, previous: values.previous, revision: values.revision });
  console.error(images.length === 0 ? 'no image is affected by this push' : `images to build: ${images.join(', ')}`);
  if (values.results) {
    writeFileSync(path.join(values.results, 'images'), JSON.stringify(images));
    writeFileSync(path.join(values.results, 'count'), String(images.length));
  }
  console.log(JSON.stringify(images));
}

if (isMain(import.meta.url)) main();
