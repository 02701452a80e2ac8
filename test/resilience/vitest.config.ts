import { defineConfig } from 'vitest/config';

// `pnpm test:resilience` (docs/resilience.md): the app as child processes against private MariaDB,
// Redis and NATS servers that the scenarios stop, kill and freeze. Slow and stateful, so it is its
// own command (.ci/run runs it after `pnpm test`) and its files run one at a time.
const conditions = ['@testbed/source', 'module', 'node', 'development|production'];

export default defineConfig({
  root: `${import.meta.dirname}/../..`,
  resolve: { conditions },
  ssr: { resolve: { conditions, externalConditions: ['@testbed/source'] } },
  test: {
    name: 'resilience',
    server: { deps: { inline: [/@testbed\//] } },
    include: ['test/resilience/**/*.test.ts'],
    // The Auth emulator, shared with the integration tests (it is never the one taken away).
    globalSetup: ['test/global-setup.ts'],
    env: { FIREBASE_AUTH_EMULATOR_HOST: '127.0.0.1:9099' },
    fileParallelism: false,
    // Starting a stack (three servers, four services through tsx) takes a while on a busy machine.
    hookTimeout: 240_000,
    // The fuzz files run 1,000 cases per operation in one test each.
    testTimeout: 900_000,
    teardownTimeout: 60_000,
  },
});
