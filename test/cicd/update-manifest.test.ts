import { execFile, execFileSync } from 'node:child_process';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { gitFixture, SCRIPTS, type GitFixture } from './git-fixture.js';

const KUSTOMIZATION = 'manifests/overlays/prod/kustomization.yaml';
const OLD = `sha256:${'0'.repeat(64)}`;
const NEW_API = `sha256:${'1'.repeat(64)}`;
const NEW_SPA = `sha256:${'2'.repeat(64)}`;
const REVISION = 'a1b2c3d4e5f60718293a4b5c6d7e8f9012345678';

const PROD = `apiVersion: kustomize.config.k8s.io/v1beta1
kind: Kustomization
resources:
  - deployment.yaml
# Pinned by the pipeline's update-manifest Task; never edit by hand.
images:
  - name: public-api # the API
    newName: harbor.example.com/testbed/public-api
    digest: ${OLD}
  - name: secure-api
    newName: harbor.example.com/testbed/secure-api
    digest: ${OLD}
  - name: frontend
    newTag: dev
`;
const DEPLOYMENT = `apiVersion: apps/v1
kind: Deployment
metadata:
  name: public-api
spec:
  selector:
    matchLabels: { app: public-api }
  template:
    metadata:
      labels: { app: public-api }
    spec:
      containers:
        - name: public-api
          image: public-api
        - name: frontend
          image: frontend
`;

interface PullRequestCall {
  path: string;
  authorization?: string;
  body: { title: string; head: string; base: string; body: string };
}

let repo: GitFixture;
let github: Server;
let githubUrl: string;
let pulls: PullRequestCall[];
let answer: { status: number; body: unknown };

beforeEach(async () => {
  repo = gitFixture({ withOrigin: true });
  repo.commit({ [KUSTOMIZATION]: PROD, 'manifests/overlays/prod/deployment.yaml': DEPLOYMENT }, 'prod overlay');
  repo.git('push', '--quiet', 'origin', 'develop');
  // The script reads the GitHub repository from origin's configured URL; git pushes to the bare repo.
  const bare = repo.git('config', '--get', 'remote.origin.url');
  repo.git('remote', 'set-url', 'origin', 'https://github.com/example/testbed.git');
  repo.git('config', `url.${bare}.insteadOf`, 'https://github.com/example/testbed.git');
  pulls = [];
  answer = { status: 201, body: { html_url: 'https://github.com/example/testbed/pull/42', number: 42 } };
  github = createServer((request, response) => {
    let raw = '';
    request.on('data', (chunk: Buffer) => (raw += chunk.toString()));
    request.on('end', () => {
      pulls.push({ path: request.url ?? '', authorization: request.headers.authorization, body: JSON.parse(raw) as PullRequestCall['body'] });
      response.writeHead(answer.status, { 'content-type': 'application/json' });
      response.end(JSON.stringify(answer.body));
    });
  });
  await new Promise<void>((resolve) => github.listen(0, '127.0.0.1', resolve));
  githubUrl = `http://127.0.0.1:${(github.address() as AddressInfo).port}`;
});
afterEach(async () => {
  await new Promise((resolve) => github.close(resolve));
  repo.remove();
});

/** Runs the script as the update-manifest Task does. */
async function updateManifest(images: Array<[string, string]>, extra: string[] = []): Promise<{ code: number; output: string; results: string }> {
  const results = mkdtempSync(path.join(tmpdir(), 'testbed-results-'));
  const args = [
    path.join(SCRIPTS, 'update-manifest.mjs'),
    '--repo',
    repo.dir,
    '--kustomization',
    KUSTOMIZATION,
    '--revision',
    REVISION,
    '--github-api',
    githubUrl,
    '--results',
    results,
    ...extra,
    ...images.map(([image]) => image),
    ...images.map(([, digest]) => digest),
  ];
  const env = { ...process.env, GITHUB_TOKEN: 'token-for-tests', HOME: path.dirname(repo.dir), GIT_CONFIG_NOSYSTEM: '1' };
  try {
    const { stdout, stderr } = await promisify(execFile)('node', args, { env });
    let url = '';
    try {
      url = readFileSync(path.join(results, 'url'), 'utf8');
    } catch {
      // no result written
    }
    return { code: 0, output: stdout + stderr, results: url };
  } catch (error) {
    const failure = error as { code: number; stdout: string; stderr: string };
    return { code: failure.code, output: failure.stdout + failure.stderr, results: '' };
  } finally {
    rmSync(results, { recursive: true, force: true });
  }
}

const originFile = (branch: string) => repo.git('show', `origin/${branch}:${KUSTOMIZATION}`);

// Each test runs git and a Node process; a loaded CI machine needs more than the default 5 s.
describe('update-manifest', { timeout: 30_000 }, () => {
  it('when two images were built, then their digests are pinned, comments kept, and a pull request "[Update manifest] …" is opened', async () => {
    const result = await updateManifest([
      ['harbor.example.com/testbed/public-api:a1b2c3d4e5f60718293a4b5c6d7e8f9012345678', NEW_API],
      ['harbor.example.com/testbed/frontend:a1b2c3d4e5f60718293a4b5c6d7e8f9012345678', NEW_SPA],
    ]);
    expect(result.code, result.output).toBe(0);
    expect(result.results).toBe('https://github.com/example/testbed/pull/42');

    repo.git('fetch', '--quiet', 'origin');
    const pinned = originFile('update-manifest/a1b2c3d');
    expect(pinned).toContain('# Pinned by the pipeline');
    expect(pinned).toContain('- name: public-api # the API');
    expect(pinned).toContain(`digest: ${NEW_API}`);
    expect(pinned).toContain(`newName: harbor.example.com/testbed/frontend\n    digest: ${NEW_SPA}`);
    expect(pinned).not.toContain('newTag: dev');
    // secure-api was not rebuilt: its pin stays.
    expect(pinned).toContain(`newName: harbor.example.com/testbed/secure-api\n    digest: ${OLD}`);
    expect(repo.git('log', '-1', '--format=%s', 'origin/update-manifest/a1b2c3d')).toBe('[Update manifest] public-api, frontend @ a1b2c3d');

    expect(pulls).toHaveLength(1);
    expect(pulls[0]?.path).toBe('/repos/example/testbed/pulls');
    expect(pulls[0]?.authorization).toBe('Bearer token-for-tests');
    expect(pulls[0]?.body).toMatchObject({ title: '[Update manifest] public-api, frontend @ a1b2c3d', head: 'update-manifest/a1b2c3d', base: 'develop' });
  });

  it('when the edited overlay is rendered, then the Deployment runs the pinned digests', async () => {
    await updateManifest([['harbor.example.com/testbed/public-api:a1b2c3d', NEW_API]]);
    const rendered = execFileSync('kubectl', ['kustomize', path.join(repo.dir, 'manifests/overlays/prod')], { encoding: 'utf8' });
    expect(rendered).toContain(`image: harbor.example.com/testbed/public-api@${NEW_API}`);
  });

  it('when a push branch is configured, then the commit goes straight to it and no pull request is opened', async () => {
    const result = await updateManifest([['harbor.example.com/testbed/public-api:a1b2c3d', NEW_API]], ['--push-to', 'develop']);
    expect(result.code, result.output).toBe(0);
    repo.git('fetch', '--quiet', 'origin');
    expect(originFile('develop')).toContain(`digest: ${NEW_API}`);
    expect(repo.git('log', '-1', '--format=%s', 'origin/develop')).toBe('[Update manifest] public-api @ a1b2c3d');
    expect(pulls).toHaveLength(0);
  });

  it('when the manifest already pins the digests, then nothing is committed, pushed or proposed', async () => {
    const before = repo.git('rev-parse', 'HEAD');
    const result = await updateManifest([['harbor.example.com/testbed/public-api:a1b2c3d', OLD]]);
    expect(result.code).toBe(0);
    expect(result.output).toContain('nothing to propose');
    expect(repo.git('rev-parse', 'HEAD')).toBe(before);
    expect(pulls).toHaveLength(0);
  });

  it('when a digest is malformed, then it fails before touching the repository', async () => {
    const result = await updateManifest([['harbor.example.com/testbed/public-api:a1b2c3d', 'sha256:abc']]);
    expect(result.code).toBe(1);
    expect(result.output).toContain('"sha256:abc" is not an image digest');
    expect(repo.git('status', '--porcelain')).toBe('');
  });

  it('when GitHub refuses the pull request, then it fails with GitHub’s message', async () => {
    answer = { status: 422, body: { message: 'Validation Failed' } };
    const result = await updateManifest([['harbor.example.com/testbed/public-api:a1b2c3d', NEW_API]]);
    expect(result.code).toBe(1);
    expect(result.output).toContain('GitHub refused the pull request: 422 Validation Failed');
  });
});
