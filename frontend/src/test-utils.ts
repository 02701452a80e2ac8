import { createVuetify } from 'vuetify';

/** A Vuetify instance for component tests; components come from vite-plugin-vuetify's auto-import. */
export function testVuetify() {
  return createVuetify();
}
