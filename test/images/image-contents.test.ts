import { describe, expect, it } from 'vitest';
import { IMAGE_NAMES, SERVICE_IMAGES, imageRef, type ImageName } from '../../scripts/images/build.js';
import { podman } from '../../scripts/images/podman.js';

interface ImageConfig {
  User: string;
  StopSignal?: string;
  Labels: Record<string, string> | null;
  Cmd: string[] | null;
}

async function inspectConfig(name: ImageName): Promise<ImageConfig> {
  const { stdout } = await podman(['image', 'inspect', '--format', '{{json .Config}}', imageRef(name)]);
  return JSON.parse(stdout) as ImageConfig;
}

/** Runs a shell script inside the image (no network, as root so nothing is hidden by permissions). */
async function shellIn(name: ImageName, script: string): Promise<string> {
  const { stdout } = await podman(['run', '--rm', '--network', 'none', '--user', '0', '--entrypoint', '/bin/sh', imageRef(name), '-c', script]);
  return stdout;
}

/** Every file of ours in a service image: its own files and the workspace packages it deploys. */
const OUR_FILES =
  'find -L /app -path /app/node_modules -prune -o -type f -print; find -L /app/node_modules/@testbed -type f -not -path "*/node_modules/@testbed/*/node_modules/*"';

describe.each(IMAGE_NAMES)('the %s image', (name) => {
  it('when inspected, then it runs as a numeric non-root user and carries the OCI labels', async () => {
    const config = await inspectConfig(name);
    const uid = Number(config.User.split(':')[0]);
    expect(Number.isInteger(uid) && uid > 0, `User "${config.User}"`).toBe(true);
    expect(config.Labels?.['org.opencontainers.image.source']).toMatch(/^https:\/\//);
    expect(config.Labels?.['org.opencontainers.image.revision']).toMatch(/^[0-9a-f]{40}$/);
    expect(config.Labels?.['org.opencontainers.image.version']).toBeTruthy();
    expect(config.Labels?.['org.opencontainers.image.created']).toMatch(/^\d{4}-\d\d-\d\dT/);
    expect(config.StopSignal).toBe(name === 'frontend' ? 'SIGQUIT' : 'SIGTERM');
  });

  it('when looked inside, then there is no .env file anywhere', async () => {
    const found = await shellIn(name, 'find / -xdev \\( -name ".env" -o -name ".env.*" \\) -print');
    expect(found.trim()).toBe('');
  });
});

describe.each(SERVICE_IMAGES)('the %s service image', (name) => {
  it('when inspected, then it starts node on the compiled dist/main.js with the telemetry preload, not tsx', async () => {
    const config = await inspectConfig(name);
    expect(config.Cmd).toEqual(['node', '--import', '@testbed/service-kit/telemetry/register', 'dist/main.js']);
    expect(await shellIn(name, 'test -f /app/dist/main.js && echo yes')).toBe('yes\n');
  });

  it('when the preload is resolved as the CMD resolves it, then it loads from the compiled kit and starts the SDK', async () => {
    // OTEL_TRACES_EXPORTER=none: the SDK starts (instrumentations and the loader hook included) but exports nothing.
    const script =
      'cd /app && OTEL_SDK_DISABLED=false OTEL_TRACES_EXPORTER=none node --import @testbed/service-kit/telemetry/register -e "console.log(typeof globalThis[Symbol.for(\'testbed.telemetry\')])"';
    expect(await shellIn(name, script)).toBe('object\n');
  });

  it('when looked inside, then no dev dependency is installed (vitest, typescript, tsx, eslint) and no npm', async () => {
    const found = await shellIn(
      name,
      'ls /app/node_modules /app/node_modules/.pnpm | grep -E "^(vitest|typescript|tsx|eslint|@vitest\\+|@typescript-eslint)([@+]|$)" ; command -v npm pnpm yarn corepack ; true',
    );
    expect(found.trim()).toBe('');
  });

  it('when looked inside, then our code has no TypeScript sources, tests, or source maps that embed sources', async () => {
    const files = (await shellIn(name, OUR_FILES)).trim().split('\n');
    expect(files).toContain('/app/dist/main.js');
    expect(files.filter((f) => /\.(test|spec)\.[cm]?[jt]s$/.test(f) || /\/test\//.test(f))).toEqual([]);
    expect(files.filter((f) => f.endsWith('.ts') && !f.endsWith('.d.ts'))).toEqual([]);
    // Maps stay (stack traces name the source line) but carry no sourcesContent (docs/images.md).
    const withSources = await shellIn(name, `(${OUR_FILES}) | grep '\\.map$' | xargs -r grep -l '"sourcesContent"' ; true`);
    expect(withSources.trim()).toBe('');
  });

  it('when looked inside, then the migrations sit next to the code that reads them', async () => {
    const files = (await shellIn(name, OUR_FILES)).trim().split('\n');
    const ownMigrations = files.filter((f) => /^\/app\/migrations\/\d+_[\w-]+\.sql$/.test(f));
    if (name === 'auth-service') expect(ownMigrations).toEqual([]);
    else expect(ownMigrations.length).toBeGreaterThan(0);
    expect(files.some((f) => /service-kit\/events-migrations\/\d+_[\w-]+\.sql$/.test(f))).toBe(true);
  });

  it('when looked inside, then the code belongs to root and the service user cannot change it', async () => {
    const writable = await shellIn(name, 'find /app -xdev \\( -perm -o+w -o -not -user 0 \\) -not -type l -print | head -5');
    expect(writable.trim()).toBe('');
  });
});

describe('the loadgenerator image', () => {
  it('when started as components/loadgenerator starts it, then pnpm loadgen runs from the compiled code without dev dependencies', async () => {
    expect((await inspectConfig('loadgenerator')).Cmd).toEqual(['node', 'dist/main.js']);
    const { stdout } = await podman([
      'run',
      '--rm',
      '--network',
      'none',
      '--read-only',
      '--tmpfs',
      '/tmp',
      imageRef('loadgenerator'),
      'node',
      'dist/main.js',
      '--help',
    ]);
    expect(stdout).toContain('Usage: pnpm loadgen --url <base>');
    const found = await shellIn(
      'loadgenerator',
      'ls /app/node_modules /app/node_modules/.pnpm | grep -E "^(vitest|typescript|tsx|eslint)([@+]|$)" ; find /app/dist -name "*.test.js"; true',
    );
    expect(found.trim()).toBe('');
  });
});

describe('the frontend image', () => {
  it('when looked inside, then it holds the built SPA and our nginx config, but no config.json and no source maps', async () => {
    const listing = await shellIn('frontend', 'cd /usr/share/nginx/html && find . -type f | sort');
    expect(listing).toContain('./index.html');
    expect(listing).toMatch(/\.\/assets\/[\w-]+\.js/);
    expect(listing).not.toContain('config.json');
    expect(listing).not.toMatch(/\.map$/m);
    expect(await shellIn('frontend', 'grep -c "listen 8080" /etc/nginx/nginx.conf')).toBe('1\n');
  });
});
