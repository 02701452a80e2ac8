// `pnpm images`: builds every image (local stand-in bases when no registry answers) and prints
// each one's size. `pnpm images --run` then starts them all against the real MariaDB, Redis, NATS
// and the Auth emulator, behind the dev gateway, until Ctrl-C. `--only a,b` limits the build.
import { parseArgs } from 'node:util';
import { createConnection } from 'mysql2/promise';
import { startApp } from './app.js';
import { isStandIn, BASES } from './bases.js';
import { IMAGE_NAMES, ensureImages, imageRef, type ImageName } from './build.js';
import { DEFAULT_APP_PORTS, newRunId } from './containers.js';
import { formatMegabytes, imageSize } from './podman.js';
import { writeFileSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const { values } = parseArgs({
  options: {
    run: { type: 'boolean', default: false },
    only: { type: 'string' },
    verbose: { type: 'boolean', default: false },
  },
});

const names = (values.only?.split(',') ?? IMAGE_NAMES) as ImageName[];
for (const name of names) {
  if (!IMAGE_NAMES.includes(name)) throw new Error(`unknown image "${name}"; images: ${IMAGE_NAMES.join(', ')}`);
}

const started = Date.now();
await ensureImages(names, { rebuild: true, echo: values.verbose });
console.log(`\nbuilt in ${((Date.now() - started) / 1000).toFixed(0)} s`);
for (const base of Object.values(BASES)) {
  console.log(`${(await isStandIn(base)) ? 'stand-in' : 'upstream'}  ${base.padEnd(55)} ${formatMegabytes(await imageSize(base))}`);
}
for (const name of names) console.log(`image     ${imageRef(name).padEnd(55)} ${formatMegabytes(await imageSize(imageRef(name)))}`);

if (values.run) {
  const mysqlUrl = process.env['MYSQL_URL'] ?? 'mysql://root@127.0.0.1:3306/testbed';
  await createDatabase(mysqlUrl);
  const configDir = mkdtempSync(join(tmpdir(), 'testbed-images-'));
  const configFile = join(configDir, 'config.json');
  // What a ConfigMap would hold: the Auth emulator, reached through the gateway's origin.
  const gatewayPort = Number(process.env['GATEWAY_PORT'] ?? 8080);
  writeFileSync(
    configFile,
    JSON.stringify({
      firebase: { apiKey: 'demo-api-key', authDomain: 'localhost', projectId: 'demo-testbed' },
      authEmulatorUrl: `http://localhost:${gatewayPort}`,
    }),
  );
  const app = await startApp(
    {
      mysqlUrl,
      redisUrl: process.env['REDIS_URL'] ?? 'redis://127.0.0.1:6379',
      natsUrl: process.env['NATS_URL'] ?? 'nats://127.0.0.1:4222',
      emulatorHost: process.env['FIREBASE_AUTH_EMULATOR_HOST'] ?? '127.0.0.1:9099',
      ports: DEFAULT_APP_PORTS,
      runId: newRunId(),
      frontendConfigFile: configFile,
    },
    gatewayPort,
  );
  console.log(`\nthe app from its images: ${app.url} (containers: ${app.containers.map((c) => c.name).join(', ')})`);
  console.log('Ctrl-C stops and removes the containers.');
  await new Promise<void>((resolve) => {
    process.once('SIGINT', resolve);
    process.once('SIGTERM', resolve);
  });
  console.log('stopping…');
  await app.stop();
}

async function createDatabase(url: string): Promise<void> {
  const parsed = new URL(url);
  const database = decodeURIComponent(parsed.pathname.slice(1));
  parsed.pathname = '/';
  const connection = await createConnection(parsed.href);
  try {
    await connection.query(`CREATE DATABASE IF NOT EXISTS \`${database.replace(/`/g, '')}\` CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci`);
  } finally {
    await connection.end();
  }
}
