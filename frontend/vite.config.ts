import vue from '@vitejs/plugin-vue';
import { defaultClientConditions, defineConfig } from 'vite';
import vuetify from 'vite-plugin-vuetify';

export default defineConfig({
  plugins: [
    vue(),
    // Imports only the Vuetify components and directives the templates use (tree-shaken).
    vuetify({ autoImport: true }),
  ],
  resolve: {
    // Workspace packages (@testbed/protos) export their TypeScript sources under this condition.
    conditions: ['@testbed/source', ...defaultClientConditions],
  },
  optimizeDeps: {
    // Scan every page up front and leave Vuetify's per-component modules unbundled, so the first
    // visit to a lazy route in dev does not trigger a re-optimisation and a full reload.
    entries: ['index.html', 'src/**/*.vue'],
    exclude: ['vuetify'],
  },
  build: {
    // nginx serves /assets/ as immutable: every file there must carry a content hash.
    assetsDir: 'assets',
    sourcemap: false,
    rolldownOptions: {
      output: {
        // Named vendor chunks: stable hashes across app-only deploys, and a size report that says
        // what weighs what. Firebase Auth is needed on every page (who is signed in), so it stays eager.
        codeSplitting: {
          groups: [
            { name: 'firebase', test: /node_modules[\\/](@firebase|firebase)[\\/]/ },
            { name: 'vue', test: /node_modules[\\/](@vue|vue|vue-router|pinia)[\\/]/ },
          ],
        },
      },
    },
  },
});
