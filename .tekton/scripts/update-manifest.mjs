#!/usr/bin/env node
// @ts-check
// The GitOps hand-off: pins the freshly scanned image digests in the prod overlay's kustomize
// `images:` list, commits, and opens a pull request titled "[Update manifest] …" (or pushes to a
// configured branch). Argo CD deploys what the merged commit says. The update-manifest Task runs
// this file; so do the tests.
//
// Usage: update-manifest.mjs --kustomization <path> --revision <sha> [--repo <dir>] [--base develop] [--push-to <branch>] [--github-api https://api.github.com]
//        [--results <dir>] <registry/project/name:tag>… <sha256:…>…   (references, then their digests)
// A pull request needs GITHUB_TOKEN (a token allowed to open pull requests on the repository).
import { execFileSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { parseDocument } from 'yaml';
import { isMain, pairImagesWithDigests } from './cli.mjs';

/** Prefix of every commit and pull request this pipeline makes; the trigger ignores such pushes. */
export const UPDATE_MANIFEST_PREFIX = '[Update manifest]';

/**
 * @typedef {{ image: string; digest: string }} BuiltImage `image` is registry/project/name:tag as pushed
 */

/**
 * Sets `newName` and `digest` of each built image in a kustomization's `images:` list, keeping
 * comments and order. An entry matches when its `name` ends with the image's name.
 * @param {string} text the kustomization.yaml
 * @param {BuiltImage[]} built
 * @returns {{ text: string; changed: string[] }} the new text and the image names whose pin changed
 * @throws {Error} on a digest that isn't `sha256:<64 hex>`
 */
export function pinImages(text, built) {
  const document = parseDocument(text);
  const changed = [];
  for (const { image, digest } of built) {
    if (!/^sha256:[0-9a-f]{64}$/.test(digest)) throw new Error(`"${digest}" is not an image digest (sha256:<64 hex>)`);
    const newName = image.replace(/:[\w][\w.-]*$/, '');
    const shortName = newName.split('/').at(-1) ?? newName;
    const images = /** @type {import('yaml').YAMLSeq<import('yaml').YAMLMap>} */ (document.get('images') ?? document.createNode([]));
    if (!document.has('images')) document.set('images', images);
    let entry = images.items.find((item) => String(item.get('name')).split('/').at(-1) === shortName);
    if (!entry) {
      entry = /** @type {import('yaml').YAMLMap} */ (document.createNode({ name: shortName }));
      images.items.push(entry);
    }
    if (entry.get('newName') === newName && entry.get('digest') === digest) continue;
    entry.set('newName', newName);
    entry.set('digest', digest);
    entry.delete('newTag');
    changed.push(shortName);
  }
  return { text: document.toString(), changed };
}

/**
 * `owner/name` of a GitHub remote URL (https or ssh form).
 * @param {string} url
 * @returns {string}
 * @throws {Error} when the URL is not a GitHub repository URL
 */
export function githubRepository(url) {
  const match = /github\.com[/:]([^/]+\/[^/]+?)(\.git)?\/?$/.exec(url);
  if (!match?.[1]) throw new Error(`"${url}" is not a GitHub repository URL`);
  return match[1];
}

/**
 * Edits, commits and proposes the pins.
 * @param {{ repo: string; kustomization: string; revision: string; built: BuiltImage[]; base: string;
 *   pushTo?: string; githubApi: string; token?: string; log?: (line: string) => void }} options
 * @returns {Promise<{ outcome: 'unchanged' | 'pushed' | 'pull-request'; url?: string; commit?: string }>}
 * @throws {Error} when git or GitHub refuses
 */
export async function updateManifest({ repo, kustomization, revision, built, base, pushTo, githubApi, token, log = console.error }) {
  const git = (/** @type {string[]} */ ...args) => execFileSync('git', ['-C', repo, ...args], { encoding: 'utf8' }).trim();
  const file = path.join(repo, kustomization);
  const { text, changed } = pinImages(readFileSync(file, 'utf8'), built);
  if (changed.length === 0) {
    log('the manifest already pins these digests: nothing to propose');
    return { outcome: 'unchanged' };
  }
  const short = revision.slice(0, 7);
  const title = `${UPDATE_MANIFEST_PREFIX} ${changed.join(', ')} @ ${short}`;
  const branch = pushTo ?? `update-manifest/${short}`;
  git('checkout', '-B', branch);
  writeFileSync(file, text);
  git('add', kustomization);
  git('-c', 'user.name=testbed-pipeline', '-c', 'user.email=pipeline@testbed.invalid', 'commit', '-m', title, '-m', `Built from ${revision}.`);
  const commit = git('rev-parse', 'HEAD');
  git('push', 'origin', `HEAD:refs/heads/${branch}`);
  if (pushTo) {
    log(`pushed ${commit} to ${pushTo}`);
    return { outcome: 'pushed', commit };
  }
  if (!token) throw new Error('GITHUB_TOKEN is not set: cannot open the pull request (or pass --push-to <branch>)');
  // The configured URL, not `git remote get-url`, which applies url.insteadOf rewrites.
  const repository = githubRepository(git('config', '--get', 'remote.origin.url'));
  const response = await fetch(`${githubApi}/repos/${repository}/pulls`, {
    method: 'POST',
    headers: { authorization: `Bearer ${token}`, accept: 'application/vnd.github+json', 'content-type': 'application/json' },
    body: JSON.stringify({
      title,
      head: branch,
      base,
      body: built.map(({ image, digest }) => `- \`${image}\` → \`${digest}\``).join('\n'),
    }),
    signal: AbortSignal.timeout(30_000),
  });
  const answer = /** @type {{ html_url?: string; message?: string }} */ (await response.json().catch(() => ({})));
  if (!response.ok) throw new Error(`GitHub refused the pull request: ${response.status} ${answer.message ?? ''}`.trim());
  log(`opened ${answer.html_url}`);
  return { outcome: 'pull-request', url: answer.html_url, commit };
}

async function main() {
  const { values, positionals } = parseArgs({
    allowPositionals: true,
    options: {
      repo: { type: 'string', default: '.' },
      kustomization: { type: 'string' },
      revision: { type: 'string' },
      base: { type: 'string', default: 'develop' },
      'push-to': { type: 'string' },
      'github-api': { type: 'string', default: 'https://api.github.com' },
      results: { type: 'string' },
    },
  });
  const built = pairImagesWithDigests(positionals);
  if (!values.kustomization || !values.revision || built.length === 0) {
    console.error('usage: update-manifest.mjs --kustomization <path> --revision <sha> <image ref>… <sha256:…>…');
    process.exit(2);
  }
  const result = await updateManifest({
    repo: values.repo,
    kustomization: values.kustomization,
    revision: values.revision,
    built,
    base: values.base,
    pushTo: values['push-to'] || undefined,
    githubApi: values['github-api'],
    token: process.env['GITHUB_TOKEN'],
  });
  if (values.results) writeFileSync(path.join(values.results, 'url'), result.url ?? result.commit ?? '');
}

if (isMain(import.meta.url)) {
  await main().catch((/** @type {Error} */ error) => {
    console.error(`update-manifest: ${error.message}`);
    process.exit(1);
  });
}
