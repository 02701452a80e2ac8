import { createVuetify } from 'vuetify';
import { aliases, mdi } from 'vuetify/iconsets/mdi-svg';
import 'vuetify/styles';
import { storedTheme } from '../composables/use-theme-preference.js';

// Components and directives are not listed: vite-plugin-vuetify imports the ones each template uses.
export const vuetify = createVuetify({
  icons: { defaultSet: 'mdi', aliases, sets: { mdi } },
  theme: {
    defaultTheme: storedTheme() ?? 'system',
    // Vuetify's medium emphasis (labels, counters, subtitles: 0.6 × 0.87 black on the filled field's
    // #f6f6f6) is 3.97:1, below WCAG 2.1 AA's 4.5:1; these meet it (e2e/accessibility.e2e.test.ts).
    themes: {
      light: { variables: { 'medium-emphasis-opacity': 0.72 } },
      dark: { variables: { 'medium-emphasis-opacity': 0.78 } },
    },
  },
});
