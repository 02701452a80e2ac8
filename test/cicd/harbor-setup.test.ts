import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { SCRIPTS } from './git-fixture.js';

interface Call {
  method: string;
  path: string;
  body: Record<string, unknown>;
}

let server: Server;
let harbor: string;
let calls: Call[];
let existing: { project: boolean; robots: Set<string> };
let out: string;

beforeEach(async () => {
  calls = [];
  existing = { project: false, robots: new Set() };
  out = mkdtempSync(path.join(tmpdir(), 'testbed-harbor-'));
  // Answers Harbor v2.0's project and robot endpoints with the real status codes and shapes.
  server = createServer((request, response) => {
    let raw = '';
    request.on('data', (chunk: Buffer) => (raw += chunk.toString()));
    request.on('end', () => {
      const body = raw ? (JSON.parse(raw) as Record<string, unknown>) : {};
      calls.push({ method: request.method ?? '', path: request.url ?? '', body });
      const send = (status: number, answer: unknown = {}) => {
        response.writeHead(status, { 'content-type': 'application/json' });
        response.end(status === 200 && !answer ? '' : JSON.stringify(answer));
      };
      if (request.headers.authorization !== `Basic ${Buffer.from('admin:Harbor12345').toString('base64')}`)
        return send(401, { errors: [{ code: 'UNAUTHORIZED', message: 'unauthorized' }] });
      if (request.method === 'POST' && request.url === '/api/v2.0/projects') {
        if (existing.project) return send(409, { errors: [{ code: 'CONFLICT', message: 'The project named testbed already exists' }] });
        existing.project = true;
        return send(201);
      }
      if (request.method === 'PUT' && request.url === '/api/v2.0/projects/testbed') return send(200);
      if (request.method === 'POST' && request.url === '/api/v2.0/robots') {
        const name = String(body['name']);
        if (existing.robots.has(name)) return send(409, { errors: [{ code: 'CONFLICT', message: 'robot exists' }] });
        existing.robots.add(name);
        return send(201, { id: 7, name: `robot$testbed+${name}`, secret: `secret-of-${name}`, creation_time: '2026-11-30T10:00:00Z', expires_at: -1 });
      }
      return send(404, { errors: [{ code: 'NOT_FOUND', message: 'not found' }] });
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  harbor = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterEach(async () => {
  await new Promise((resolve) => server.close(resolve));
  rmSync(out, { recursive: true, force: true });
});

async function setup(password = 'Harbor12345'): Promise<{ code: number; output: string }> {
  const args = [path.join(SCRIPTS, 'harbor-setup.mjs'), '--harbor', harbor, '--out', out];
  try {
    const { stdout, stderr } = await promisify(execFile)('node', args, { env: { ...process.env, HARBOR_USERNAME: 'admin', HARBOR_PASSWORD: password } });
    return { code: 0, output: stdout + stderr };
  } catch (error) {
    const failure = error as { code: number; stdout: string; stderr: string };
    return { code: failure.code, output: failure.stdout + failure.stderr };
  }
}

describe('harbor-setup', { timeout: 30_000 }, () => {
  it('when run against a new Harbor, then the project scans on push and blocks critical images, and two least-privilege robots exist', async () => {
    const result = await setup();
    expect(result.code, result.output).toBe(0);
    const project = calls.find((call) => call.path === '/api/v2.0/projects');
    expect(project?.body).toEqual({ project_name: 'testbed', metadata: { public: 'false', auto_scan: 'true', prevent_vul: 'true', severity: 'critical' } });
    const robots = calls.filter((call) => call.path === '/api/v2.0/robots').map((call) => call.body);
    expect(robots).toHaveLength(2);
    const access = (name: string) =>
      ((robots.find((robot) => robot['name'] === name)?.['permissions'] as Array<{ namespace: string; access: unknown[] }>) ?? [])[0];
    expect(access('ci')).toMatchObject({ namespace: 'testbed' });
    expect(access('ci')?.access).toContainEqual({ resource: 'scan', action: 'create' });
    expect(access('pull')?.access).toEqual([{ resource: 'repository', action: 'pull' }]);
  });

  it('when robots are created, then their credentials land in owner-only files and never in the output', async () => {
    const result = await setup();
    expect(result.output).not.toContain('secret-of-');
    const config = JSON.parse(readFileSync(path.join(out, 'pipeline.dockerconfigjson'), 'utf8')) as { auths: Record<string, { auth: string }> };
    const [registry, entry] = Object.entries(config.auths)[0] ?? [];
    expect(registry).toBe(new URL(harbor).host);
    expect(Buffer.from(entry?.auth ?? '', 'base64').toString()).toBe('robot$testbed+ci:secret-of-ci');
    expect(readFileSync(path.join(out, 'cluster.username'), 'utf8')).toBe('robot$testbed+pull');
    expect(statSync(path.join(out, 'pipeline.password')).mode & 0o777).toBe(0o600);
  });

  it('when run again, then the project settings are re-applied and the robots are kept', async () => {
    await setup();
    calls.length = 0;
    const result = await setup();
    expect(result.code, result.output).toBe(0);
    expect(calls.map((call) => `${call.method} ${call.path}`)).toEqual([
      'POST /api/v2.0/projects',
      'PUT /api/v2.0/projects/testbed',
      'POST /api/v2.0/robots',
      'POST /api/v2.0/robots',
    ]);
    expect(result.output).toContain('robot ci exists');
  });

  it('when the admin credentials are wrong, then it fails with Harbor’s answer', async () => {
    const result = await setup('wrong');
    expect(result.code).toBe(1);
    expect(result.output).toContain('Harbor refused to create project testbed: 401 unauthorized');
  });
});
