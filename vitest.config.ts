import { defineConfig } from 'vitest/config';

// Workspace packages export their TypeScript sources under this condition, so tests and `pnpm dev`
// run the code as written, without a build step.
const conditions = ['@testbed/source', 'module', 'node', 'development|production'];

export default defineConfig({
  resolve: { conditions },
  ssr: { resolve: { conditions, externalConditions: ['@testbed/source'] } },
  test: {
    // Inline workspace packages so Vite resolves them with the condition above instead of
    // handing them to Node, which would look for a build in dist/.
    server: { deps: { inline: [/@testbed\//] } },
    // Global teardown stops whole stacks (the browser tests' services drain, nginx, a database).
    teardownTimeout: 30_000,
    projects: [
      {
        extends: true,
        test: {
          name: 'unit',
          include: [
            'bench/src/**/*.test.ts',
            'packages/*/src/**/*.test.ts',
            'services/*/src/**/*.test.ts',
            'protos/test/**/*.test.ts',
            'scripts/**/*.test.ts',
            'test/**/*.test.ts',
          ],
          // test/images/ and test/resilience/ are slower suites with their own configs and commands.
          exclude: ['**/node_modules/**', '**/*.int.test.ts', 'test/images/**', 'test/resilience/**'],
        },
      },
      {
        extends: true,
        test: {
          name: 'integration',
          include: ['bench/test/**/*.int.test.ts', 'services/*/test/**/*.int.test.ts', 'scripts/**/*.int.test.ts', 'test/**/*.int.test.ts'],
          globalSetup: ['./test/global-setup.ts'],
          env: { FIREBASE_AUTH_EMULATOR_HOST: '127.0.0.1:9099' },
          testTimeout: 30_000,
          hookTimeout: 60_000,
        },
      },
      // The SPA's component tests (happy-dom) and its nginx test.
      'frontend/vitest.config.ts',
      // The browser tests: Chromium drives the production build against the whole stack.
      'frontend/e2e/vitest.config.ts',
    ],
  },
});
