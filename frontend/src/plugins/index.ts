import { createPinia } from 'pinia';
import type { App } from 'vue';
import { router } from '../router/index.js';
import { vuetify } from './vuetify.js';

export function registerPlugins(app: App): void {
  app.use(createPinia()).use(vuetify).use(router);
}
