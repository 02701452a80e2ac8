import { setTimeout as sleep } from 'node:timers/promises';
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
// The service kit's freePort is this same library; the frontend package does not depend on the kit.
import freePort from 'get-port';

const NGINX_CONFIG = new URL('../nginx/nginx.conf', import.meta.url);

export function findNginx(): string | undefined {
  for (const candidate of ['/usr/sbin/nginx', '/usr/local/sbin/nginx', '/usr/bin/nginx']) {
    if (spawnSync(candidate, ['-v']).status === 0) return candidate;
  }
  return undefined;
}

/**
 * The production config with only what a test run must change: the listen address, the web root,
 * and /tmp paths moved into a private directory so parallel runs do not share a pid file.
 */
function testConfig(productionConfig: string, opts: { port: number; root: string; workDir: string }): string {
  const replaced = productionConfig
    .replaceAll('/tmp/', `${opts.workDir}/`)
    .replace(/listen 8080;/, `listen 127.0.0.1:${opts.port};`)
    .replace(/root \/usr\/share\/nginx\/html;/, `root ${opts.root};`)
    .replace('access_log /dev/stdout main;', `access_log ${opts.workDir}/access.log main;`);
  for (const [what, check] of [
    ['listen', `listen 127.0.0.1:${opts.port};`],
    ['root', `root ${opts.root};`],
    ['pid', `pid ${opts.workDir}/nginx.pid;`],
  ] as const) {
    if (!replaced.includes(check)) throw new Error(`nginx.conf changed shape: could not rewrite its ${what} directive`);
  }
  return replaced;
}

export interface RunningNginx {
  baseUrl: string;
  workDir: string;
  stop(): Promise<void>;
}

export async function startNginx(nginx: string, root: string): Promise<RunningNginx> {
  const workDir = mkdtempSync(join(tmpdir(), 'frontend-nginx-'));
  let child: ChildProcess | undefined;
  // A crashed test run must not leave nginx behind on its port.
  const killOnExit = () => child?.kill('SIGKILL');
  process.once('exit', killOnExit);

  async function stop() {
    process.off('exit', killOnExit);
    if (child && child.exitCode === null && child.signalCode === null) {
      const exited = new Promise((resolve) => child?.once('exit', resolve));
      child.kill('SIGTERM');
      await exited;
    }
    rmSync(workDir, { recursive: true, force: true });
  }

  try {
    const port = await freePort();
    const configPath = join(workDir, 'nginx.conf');
    writeFileSync(configPath, testConfig(readFileSync(NGINX_CONFIG, 'utf8'), { port, root, workDir }));
    // As root, nginx would switch its workers to "nobody", who cannot read a private temp dir.
    const globals = process.getuid?.() === 0 ? 'daemon off; user root;' : 'daemon off;';
    const check = spawnSync(nginx, ['-t', '-q', '-p', workDir, '-c', configPath, '-g', globals], { encoding: 'utf8' });
    if (check.status !== 0) throw new Error(`nginx -t rejected the config:\n${check.stderr}`);

    const started = spawn(nginx, ['-p', workDir, '-c', configPath, '-g', globals], { stdio: ['ignore', 'ignore', 'pipe'] });
    child = started;
    let stderr = '';
    started.stderr?.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    const baseUrl = `http://127.0.0.1:${port}`;
    for (let attempt = 0; ; attempt++) {
      if (started.exitCode !== null) throw new Error(`nginx exited with ${started.exitCode}:\n${stderr}`);
      try {
        if ((await fetch(`${baseUrl}/healthz`)).ok) break;
      } catch {
        // not listening yet
      }
      if (attempt > 100) throw new Error(`nginx did not start:\n${stderr}`);
      await sleep(100);
    }
    return { baseUrl, workDir, stop };
  } catch (error) {
    await stop();
    throw error;
  }
}
