import { createApp } from 'vue';
import App from './App.vue';
import { createFirebaseAuth } from './config/firebase.js';
import { loadRuntimeConfig } from './config/runtime-config.js';
import { registerPlugins } from './plugins/index.js';
import { useAuthStore } from './stores/auth.js';

const app = createApp(App);
registerPlugins(app);

// The public pages work without sign-in, so a missing or broken config.json degrades the app
// (sign-in shows why) instead of leaving a blank page.
const auth = useAuthStore();
loadRuntimeConfig()
  .then((config) => auth.start(createFirebaseAuth(config)))
  .catch((error: unknown) => auth.fail(error instanceof Error ? error.message : 'config.json could not be loaded'));

app.mount('#app');
