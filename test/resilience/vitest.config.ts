import { defineConfig } from 'vitest/config';

// `pnpm test:resilience`: the slow scenarios against the real servers (see issue 11), apart from
// `pnpm test`. Resolves workspace packages from their TypeScript sources, like the root config.
const conditions = ['@testbed/source', 'module', 'node', 'development|production'];

export default defineConfig({
  resolve: { conditions },
  ssr: { resolve: { conditions, externalConditions: ['@testbed/source'] } },
  test: {
    root: new URL('../..', import.meta.url).pathname,
    server: { deps: { inline: [/@testbed\//] } },
    include: ['test/resilience/**/*.test.ts'],
    globalSetup: ['./test/global-setup.ts'],
    env: { FIREBASE_AUTH_EMULATOR_HOST: '127.0.0.1:9099' },
    // One file at a time: each starts its own stack, and the machine has two cores.
    fileParallelism: false,
    testTimeout: 900_000,
    hookTimeout: 180_000,
    teardownTimeout: 30_000,
  },
});
