import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { gitFixture, SCRIPTS, type GitFixture } from './git-fixture.js';

const ZERO = '0'.repeat(40);
const ALL = ['auth-service', 'public-api', 'secure-api', 'event-consumer', 'frontend'];

const manifest = (name: string, deps: string[] = []) => JSON.stringify({ name, dependencies: Object.fromEntries(deps.map((dep) => [dep, 'workspace:*'])) });

// The workspace's shape: four services on the kit, the kit and two services on protos, the SPA
// on protos and the text package.
const WORKSPACE = {
  'package.json': '{"name":"testbed","private":true}',
  'pnpm-lock.yaml': 'lockfileVersion: "9.0"\n',
  'README.md': '# testbed\n',
  'protos/package.json': manifest('@testbed/protos'),
  'packages/text/package.json': manifest('@testbed/text'),
  'services/shared/package.json': manifest('@testbed/service-kit', ['@testbed/protos', '@testbed/text']),
  'services/auth-service/package.json': manifest('auth-service', ['@testbed/service-kit', '@testbed/protos']),
  'services/public-api/package.json': manifest('public-api', ['@testbed/service-kit']),
  'services/secure-api/package.json': manifest('secure-api', ['@testbed/service-kit', '@testbed/protos']),
  'services/event-consumer/package.json': manifest('event-consumer', ['@testbed/service-kit']),
  'frontend/package.json': manifest('frontend', ['@testbed/protos', '@testbed/text']),
  'manifests/routes.json': '{}',
};

let repo: GitFixture;
let first: string;

beforeAll(() => {
  repo = gitFixture();
  first = repo.commit(WORKSPACE, 'workspace');
});
afterAll(() => repo.remove());

/** Runs the script as the detect-changes Task does, returning its Tekton results. */
function detect(previous: string, revision: string): { images: string[]; count: string } {
  const results = mkdtempSync(path.join(tmpdir(), 'testbed-results-'));
  try {
    execFileSync('node', [path.join(SCRIPTS, 'detect-changes.mjs'), '--repo', repo.dir, '--previous', previous, '--revision', revision, '--results', results], {
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    return {
      images: JSON.parse(readFileSync(path.join(results, 'images'), 'utf8')) as string[],
      count: readFileSync(path.join(results, 'count'), 'utf8'),
    };
  } finally {
    rmSync(results, { recursive: true, force: true });
  }
}

/** Commits `files` on top of the current head and detects what the push needs built. */
function push(files: Record<string, string>): string[] {
  const before = repo.git('rev-parse', 'HEAD');
  const after = repo.commit(files);
  return detect(before, after).images;
}

// Each test runs git and a Node process; a loaded CI machine needs more than the default 5 s.
describe('detect-changes', { timeout: 30_000 }, () => {
  it('when one service changes, then only its image is built', () => {
    expect(push({ 'services/public-api/src/main.ts': 'export {};\n' })).toEqual(['public-api']);
  });

  it('when the SPA changes, then only the frontend image is built', () => {
    expect(push({ 'frontend/src/App.vue': '<template />\n' })).toEqual(['frontend']);
  });

  it('when the service kit changes, then every service that depends on it is built, and not the SPA', () => {
    expect(push({ 'services/shared/src/config.ts': 'export {};\n' })).toEqual(['auth-service', 'public-api', 'secure-api', 'event-consumer']);
  });

  it('when protos change, then their direct and indirect dependents are built (through the kit too)', () => {
    expect(push({ 'protos/auth/v1/auth.proto': 'syntax = "proto3";\n' })).toEqual(ALL);
  });

  it('when a package only some images use changes, then exactly those are built', () => {
    repo.commit({ 'services/shared/package.json': manifest('@testbed/service-kit', ['@testbed/protos']) }, 'kit without text');
    expect(push({ 'packages/text/src/index.ts': 'export {};\n' })).toEqual(['frontend']);
  });

  it('when the lockfile changes, then every image is built', () => {
    expect(push({ 'pnpm-lock.yaml': 'lockfileVersion: "9.0"\n# bumped\n' })).toEqual(ALL);
  });

  it('when only documentation changes, then nothing is built and the count is "0"', () => {
    const before = repo.git('rev-parse', 'HEAD');
    const after = repo.commit({ 'README.md': '# testbed\n\nMore.\n', 'docs/cicd.md': '# CI/CD\n', 'services/public-api/README.md': '# public-api\n' });
    expect(detect(before, after)).toEqual({ images: [], count: '0' });
  });

  it('when only manifests change (an [Update manifest] commit), then nothing is built', () => {
    expect(push({ 'manifests/overlays/prod/kustomization.yaml': 'images: []\n' })).toEqual([]);
  });

  it('when documentation and one service change together, then only that service is built', () => {
    expect(push({ 'docs/auth.md': '# auth\n', 'services/secure-api/src/main.ts': 'export const x = 1;\n' })).toEqual(['secure-api']);
  });

  it('when it is the branch’s first push (before is all zeros), then every image is built', () => {
    expect(detect(ZERO, repo.git('rev-parse', 'HEAD')).images).toEqual(ALL);
  });

  it('when the previous commit is not in the clone (a force push rewrote it), then every image is built', () => {
    expect(detect('1234567890abcdef1234567890abcdef12345678', repo.git('rev-parse', 'HEAD')).images).toEqual(ALL);
  });

  it('when a file outside every package changes (a shared build script), then every image is built', () => {
    expect(push({ 'scripts/images/build.ts': 'export {};\n' })).toEqual(ALL);
  });

  it('when a push spans several commits, then the union of their changes is built', () => {
    const before = repo.git('rev-parse', 'HEAD');
    repo.commit({ 'services/auth-service/src/main.ts': 'export {};\n' });
    const after = repo.commit({ 'services/event-consumer/src/main.ts': 'export {};\n' });
    expect(detect(before, after).images).toEqual(['auth-service', 'event-consumer']);
    expect(first).toMatch(/^[0-9a-f]{40}$/);
  });
});
