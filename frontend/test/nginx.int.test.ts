// @vitest-environment node
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { request } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { findNginx, startNginx, type RunningNginx } from './nginx-harness.js';

const frontendDir = fileURLToPath(new URL('..', import.meta.url));

interface RawResponse {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  body: Buffer;
}

/** node:http instead of fetch: fetch would decode gzip and hide what went over the wire. */
function get(url: string, headers: Record<string, string> = {}): Promise<RawResponse> {
  return new Promise((resolve, reject) => {
    request(url, { headers }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks) }));
    })
      .on('error', reject)
      .end();
  });
}

let server: RunningNginx;
let distDir: string;
let buildDir: string;
let mainScript: string;

beforeAll(async () => {
  const nginx = findNginx();
  if (!nginx) throw new Error('nginx is not installed: apt-get install -y nginx');
  buildDir = mkdtempSync(join(tmpdir(), 'frontend-dist-'));
  distDir = join(buildDir, 'dist');
  const build = spawnSync('pnpm', ['exec', 'vite', 'build', '--outDir', distDir, '--emptyOutDir', '--logLevel', 'warn'], {
    cwd: frontendDir,
    encoding: 'utf8',
  });
  if (build.status !== 0) throw new Error(`vite build failed:\n${build.stdout}\n${build.stderr}`);
  const indexHtml = readFileSync(join(distDir, 'index.html'), 'utf8');
  mainScript = /<script type="module" crossorigin src="([^"]+)"/.exec(indexHtml)?.[1] ?? '';
  expect(mainScript).toMatch(/^\/assets\/index-[\w-]+\.js$/);
  server = await startNginx(nginx, distDir);
}, 120_000);

afterAll(async () => {
  await server?.stop();
  if (buildDir) rmSync(buildDir, { recursive: true, force: true });
});

describe('production nginx serving the vite build', () => {
  it('when /healthz is probed, then it answers 200 "ok" without touching files', async () => {
    const res = await get(`${server.baseUrl}/healthz`);
    expect(res.status).toBe(200);
    expect(res.body.toString()).toBe('ok');
  });

  it('when a client-side route is requested, then index.html is served (history fallback) and must be revalidated', async () => {
    const res = await get(`${server.baseUrl}/profile`);
    expect(res.status).toBe(200);
    expect(res.headers['content-type']).toMatch(/^text\/html/);
    expect(res.body.toString()).toContain('<div id="app"></div>');
    expect(res.headers['cache-control']).toBe('no-cache');

    const deep = await get(`${server.baseUrl}/some/deep/route?x=1`);
    expect(deep.status).toBe(200);
    expect(deep.body.toString()).toContain('<div id="app"></div>');
  });

  it('when / is requested, then index.html carries no-cache and every security header', async () => {
    const res = await get(`${server.baseUrl}/`);
    expect(res.status).toBe(200);
    expect(res.headers['cache-control']).toBe('no-cache');
    const csp = String(res.headers['content-security-policy']);
    for (const directive of [
      "default-src 'self'",
      "frame-ancestors 'none'",
      "object-src 'none'",
      "script-src 'self' https://apis.google.com",
      'https://identitytoolkit.googleapis.com',
      'https://securetoken.googleapis.com',
      'https://www.googleapis.com',
      'https://*.firebaseapp.com',
      'https://accounts.google.com',
    ]) {
      expect(csp).toContain(directive);
    }
    expect(csp).not.toContain("'unsafe-eval'");
    expect(csp).not.toMatch(/script-src[^;]*'unsafe-inline'/);
    expect(res.headers['x-content-type-options']).toBe('nosniff');
    expect(res.headers['referrer-policy']).toBe('strict-origin-when-cross-origin');
    expect(res.headers['permissions-policy']).toContain('camera=()');
    expect(res.headers['x-frame-options']).toBe('DENY');
    expect(res.headers['server']).toBe('nginx');
  });

  it('when a hashed asset is requested, then it is cached for a year as immutable and keeps the security headers', async () => {
    const res = await get(`${server.baseUrl}${mainScript}`);
    expect(res.status).toBe(200);
    expect(res.headers['content-type']).toMatch(/javascript/);
    expect(res.headers['cache-control']).toBe('public, max-age=31536000, immutable');
    expect(res.headers['x-content-type-options']).toBe('nosniff');
  });

  it('when the client accepts gzip, then JavaScript, CSS and JSON are compressed', async () => {
    const css = readdirSync(join(distDir, 'assets')).find((f) => f.endsWith('.css') && f.startsWith('index-'));
    for (const path of [mainScript, `/assets/${css}`]) {
      const res = await get(`${server.baseUrl}${path}`, { 'accept-encoding': 'gzip' });
      expect(res.status, path).toBe(200);
      expect(res.headers['content-encoding'], path).toBe('gzip');
      expect(res.headers['vary'], path).toContain('Accept-Encoding');
    }
    const plain = await get(`${server.baseUrl}${mainScript}`);
    expect(plain.headers['content-encoding']).toBeUndefined();
  });

  it('when config.json is requested, then it is served fresh (no-cache) so a new ConfigMap applies on reload', async () => {
    const res = await get(`${server.baseUrl}/config.json`);
    expect(res.status).toBe(200);
    expect(res.headers['content-type']).toMatch(/application\/json/);
    expect(res.headers['cache-control']).toBe('no-cache');
    expect(JSON.parse(res.body.toString())).toHaveProperty('firebase.projectId');
  });

  it('when a missing asset is requested, then it is a 404 that is not index.html and is not cached', async () => {
    for (const path of ['/assets/index-doesnotexist.js', '/assets/nope.css', '/missing.js', '/nothing-here.json']) {
      const res = await get(`${server.baseUrl}${path}`);
      expect(res.status, path).toBe(404);
      expect(res.body.toString(), path).not.toContain('<div id="app">');
      expect(res.headers['cache-control'], path).toBe('no-cache');
    }
  });

  it('when an /api/ path no service serves reaches the SPA, then it is a 404 problem, not the SPA shell', async () => {
    for (const path of ['/api/publicx/messages', '/api/unknown', '/api/']) {
      const res = await get(`${server.baseUrl}${path}`);
      expect(res.status, path).toBe(404);
      expect(res.headers['content-type'], path).toMatch(/^application\/problem\+json/);
      expect(JSON.parse(res.body.toString()), path).toMatchObject({
        status: 404,
        type: 'urn:testbed:problem:not-found',
        requestId: expect.stringMatching(/^[0-9a-f]{32}$/),
      });
      expect(res.headers['x-content-type-options'], path).toBe('nosniff');
    }
  });
});
