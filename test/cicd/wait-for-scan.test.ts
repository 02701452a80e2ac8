import { execFile } from 'node:child_process';
import path from 'node:path';
import { promisify } from 'node:util';
import { afterEach, describe, expect, it } from 'vitest';
import { fakeHarbor, type FakeArtifact, type FakeHarbor } from './fake-harbor.js';
import { SCRIPTS } from './git-fixture.js';

const DIGEST = `sha256:${'a'.repeat(64)}`;
const OTHER_DIGEST = `sha256:${'b'.repeat(64)}`;
let harbor: FakeHarbor | undefined;
afterEach(async () => harbor?.close());

/** Runs the script as the wait-for-scan Task does: options, then references, then digests. */
async function waitForScan(
  artifacts: Record<string, FakeArtifact>,
  images: Array<[image: string, digest: string]>,
  options: { failOn?: string; credentials?: string; env?: Record<string, string>; timeoutS?: string } = {},
): Promise<{ code: number; output: string }> {
  harbor = await fakeHarbor(artifacts, { credentials: options.credentials });
  const args = [
    path.join(SCRIPTS, 'wait-for-scan.mjs'),
    '--harbor',
    harbor.url,
    '--fail-on',
    options.failOn ?? 'Critical',
    '--timeout-s',
    options.timeoutS ?? '10',
    '--interval-s',
    '0.02',
    ...images.map(([image]) => image),
    ...images.map(([, digest]) => digest),
  ];
  try {
    const { stdout, stderr } = await promisify(execFile)('node', args, { env: { ...process.env, ...options.env } });
    return { code: 0, output: stdout + stderr };
  } catch (error) {
    const failure = error as { code: number; stdout: string; stderr: string };
    return { code: failure.code, output: failure.stdout + failure.stderr };
  }
}

// Each test starts a Node process; a loaded CI machine needs more than the default 5 s.
describe('wait-for-scan', { timeout: 30_000 }, () => {
  it('when the scan goes pending → running → success with no critical finding, then it passes', async () => {
    const result = await waitForScan({ [`testbed/public-api@${DIGEST}`]: { states: ['Pending', 'Running', 'Success'], findings: { High: 2, Medium: 5 } } }, [
      ['harbor.example.com/testbed/public-api:a1b2c3d', DIGEST],
    ]);
    expect(result.code).toBe(0);
    expect(result.output).toMatch(/PASS harbor\.example\.com\/testbed\/public-api:a1b2c3d: scanned, 7 findings, none at or above Critical/);
    expect(harbor?.requests.filter((r) => r.method === 'GET').length).toBeGreaterThanOrEqual(3);
  });

  it('when the scan finds a critical vulnerability, then it fails and prints the report link', async () => {
    const result = await waitForScan({ [`testbed/secure-api@${DIGEST}`]: { states: ['Success'], findings: { Critical: 1, High: 3 } } }, [
      ['harbor.example.com/testbed/secure-api:a1b2c3d', DIGEST],
    ]);
    expect(result.code).toBe(1);
    expect(result.output).toContain('FAIL harbor.example.com/testbed/secure-api:a1b2c3d: vulnerabilities at or above Critical: 1 Critical');
    expect(result.output).toContain(`/harbor/projects/3/repositories/secure-api/artifacts-tab/artifacts/${DIGEST}`);
  });

  it('when the gate is High and only High findings exist, then it fails; at Critical the same scan passes', async () => {
    const artifacts = { [`testbed/frontend@${DIGEST}`]: { states: ['Success'], findings: { High: 1 } } } as const;
    const image: [string, string] = ['harbor.example.com/testbed/frontend:a1b2c3d', DIGEST];
    expect((await waitForScan(artifacts, [image], { failOn: 'High' })).code).toBe(1);
    await harbor?.close();
    expect((await waitForScan(artifacts, [image], { failOn: 'Critical' })).code).toBe(0);
  });

  it('when the scan ends in Error, then it fails and says so', async () => {
    const result = await waitForScan({ [`testbed/auth-service@${DIGEST}`]: { states: ['Running', 'Error'] } }, [
      ['harbor.example.com/testbed/auth-service:a1b2c3d', DIGEST],
    ]);
    expect(result.code).toBe(1);
    expect(result.output).toContain('the scan ended Error');
  });

  it('when Harbor has no such artifact (404), then it fails at once naming the artifact', async () => {
    const result = await waitForScan({}, [['harbor.example.com/testbed/event-consumer:a1b2c3d', DIGEST]]);
    expect(result.code).toBe(1);
    expect(result.output).toContain(`Harbor has no artifact event-consumer@${DIGEST} in project testbed`);
    expect(harbor?.requests).toHaveLength(1);
  });

  it('when the scan never finishes, then it fails after the timeout', async () => {
    const result = await waitForScan(
      { [`testbed/public-api@${DIGEST}`]: { states: ['Pending'] } },
      [['harbor.example.com/testbed/public-api:a1b2c3d', DIGEST]],
      { timeoutS: '0.5' },
    );
    expect(result.code).toBe(1);
    expect(result.output).toContain('no finished scan of public-api');
  });

  it('when the artifact has not been scanned at all, then it requests a scan once and waits for it', async () => {
    const result = await waitForScan({ [`testbed/public-api@${DIGEST}`]: { states: ['not-scanned', 'not-scanned', 'Running', 'Success'] } }, [
      ['harbor.example.com/testbed/public-api:a1b2c3d', DIGEST],
    ]);
    expect(result.code).toBe(0);
    expect(harbor?.requests.filter((r) => r.method === 'POST').map((r) => r.path)).toEqual([
      `/api/v2.0/projects/testbed/repositories/public-api/artifacts/${DIGEST}/scan`,
    ]);
  });

  it('when the repository name holds a slash, then it is URL-encoded twice as Harbor requires', async () => {
    const result = await waitForScan({ [`testbed/team%2Fpublic-api@${DIGEST}`]: { states: ['Success'] } }, [
      ['harbor.example.com/testbed/team/public-api:a1b2c3d', DIGEST],
    ]);
    expect(result.code).toBe(0);
    expect(harbor?.requests[0]?.path).toContain('/repositories/team%252Fpublic-api/');
  });

  it('when several images are gated and one fails, then the run fails and each verdict is printed', async () => {
    const result = await waitForScan(
      {
        [`testbed/public-api@${DIGEST}`]: { states: ['Success'] },
        [`testbed/frontend@${OTHER_DIGEST}`]: { states: ['Success'], findings: { Critical: 2 } },
      },
      [
        ['harbor.example.com/testbed/public-api:a1b2c3d', DIGEST],
        ['harbor.example.com/testbed/frontend:a1b2c3d', OTHER_DIGEST],
      ],
    );
    expect(result.code).toBe(1);
    expect(result.output).toContain('PASS harbor.example.com/testbed/public-api:a1b2c3d');
    expect(result.output).toContain('FAIL harbor.example.com/testbed/frontend:a1b2c3d: vulnerabilities at or above Critical: 2 Critical');
  });

  it('when robot credentials are given, then they are sent, and wrong ones fail with a clear message', async () => {
    const artifacts = { [`testbed/public-api@${DIGEST}`]: { states: ['Success'] } } as const;
    const image: [string, string] = ['harbor.example.com/testbed/public-api:a1b2c3d', DIGEST];
    const robot = { HARBOR_USERNAME: 'robot$testbed+ci', HARBOR_PASSWORD: 'secret-for-tests' };
    const ok = await waitForScan(artifacts, [image], { credentials: 'robot$testbed+ci:secret-for-tests', env: robot });
    expect(ok.code).toBe(0);
    await harbor?.close();
    const refused = await waitForScan(artifacts, [image], { credentials: 'robot$testbed+ci:other', env: robot });
    expect(refused.code).toBe(1);
    expect(refused.output).toContain('Harbor refused the credentials (401)');
  });

  it('when the image references and digests differ in number, then it refuses to start', async () => {
    harbor = await fakeHarbor({});
    const run = promisify(execFile)('node', [path.join(SCRIPTS, 'wait-for-scan.mjs'), '--harbor', harbor.url, 'harbor.example.com/testbed/a:1']);
    await expect(run).rejects.toMatchObject({ code: 2, stderr: expect.stringContaining('got 1 image references but 0 digests') });
  });
});
