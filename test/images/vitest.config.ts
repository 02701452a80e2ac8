import { defineConfig } from 'vitest/config';

// `pnpm test:images`: the container images, built and run for real with podman (docs/images.md).
// Slow and CPU-heavy, so it is its own command (.ci/run runs it after `pnpm test`) and its files
// run one at a time.
const conditions = ['@testbed/source', 'module', 'node', 'development|production'];

export default defineConfig({
  resolve: { conditions },
  ssr: { resolve: { conditions, externalConditions: ['@testbed/source'] } },
  test: {
    server: { deps: { inline: [/@testbed\//] } },
    fileParallelism: false,
    teardownTimeout: 60_000,
    env: { FIREBASE_AUTH_EMULATOR_HOST: '127.0.0.1:9099' },
    projects: [
      {
        extends: true,
        test: {
          name: 'images',
          root: import.meta.dirname,
          include: ['*.test.ts'],
          // The Auth emulator (shared with the integration tests), then every image built.
          globalSetup: ['../global-setup.ts', './global-setup.ts'],
          testTimeout: 180_000,
          hookTimeout: 600_000,
        },
      },
      {
        // The existing browser walk (frontend/e2e), run against the app started from its images.
        extends: true,
        test: {
          name: 'images-e2e',
          root: `${import.meta.dirname}/../../frontend/e2e`,
          include: ['app.e2e.test.ts'],
          globalSetup: ['../../test/global-setup.ts', '../../test/images/app-setup.ts'],
          environment: 'node',
          testTimeout: 120_000,
          hookTimeout: 60_000,
        },
      },
    ],
  },
});
