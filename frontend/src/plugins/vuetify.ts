import { createVuetify } from 'vuetify';
import { aliases, mdi } from 'vuetify/iconsets/mdi-svg';
import 'vuetify/styles';
import { storedTheme } from '../composables/use-theme-preference.js';

// Components and directives are not listed: vite-plugin-vuetify imports the ones each template uses.
export const vuetify = createVuetify({
  icons: { defaultSet: 'mdi', aliases, sets: { mdi } },
  theme: { defaultTheme: storedTheme() ?? 'system' },
});
