import { defineProject } from 'vitest/config';

// Inside test files Vitest sets BASE_URL to Vite's public base ("/"), so the caller's BASE_URL is
// read here, in the main process, and handed over as E2E_BASE_URL.
const callerBaseUrl = process.env['E2E_BASE_URL'] ?? process.env['BASE_URL'];

export default defineProject({
  test: {
    name: 'e2e',
    root: import.meta.dirname,
    include: ['**/*.e2e.test.ts'],
    // Starts the production build behind nginx and the dev gateway, with every service on the real
    // servers, unless BASE_URL points at an app that is already running.
    globalSetup: ['./global-setup.ts'],
    environment: 'node',
    // One browser at a time: the files share one stack on a small machine, and each signs users up.
    fileParallelism: false,
    env: callerBaseUrl ? { E2E_BASE_URL: callerBaseUrl } : {},
    testTimeout: 120_000,
    hookTimeout: 60_000,
  },
});
