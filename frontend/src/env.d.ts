/// <reference types="vite/client" />

// Type information for `.vue` imports where no Vue language service runs (type-aware ESLint); vue-tsc
// resolves the real component types and does not use this.
declare module '*.vue' {
  import type { DefineComponent } from 'vue';
  const component: DefineComponent;
  export default component;
}
