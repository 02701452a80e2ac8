import { defineProject, mergeConfig } from 'vitest/config';
import viteConfig from './vite.config.js';

export default mergeConfig(
  viteConfig,
  defineProject({
    test: {
      name: 'frontend',
      root: import.meta.dirname,
      // Components run in happy-dom; files that need Node (the nginx test) opt out with a docblock.
      environment: 'happy-dom',
      include: ['src/**/*.test.ts', 'test/**/*.test.ts'],
      // Vuetify's component modules import CSS, which Node cannot load: let Vite transform them.
      server: { deps: { inline: ['vuetify'] } },
      testTimeout: 20_000,
    },
  }),
);
