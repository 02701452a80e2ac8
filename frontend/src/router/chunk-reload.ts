import type { RouteLocationNormalized, Router } from 'vue-router';

/** sessionStorage key holding when the app last reloaded itself for a missing chunk (ms since epoch). */
export const RELOAD_KEY = 'testbed:chunk-reload-at';
/** A reload for a missing chunk within this long after the previous one is a loop: the error is left to show. */
export const RELOAD_GUARD_MS = 60_000;

export interface ReloadEnvironment {
  readonly storage: Pick<Storage, 'getItem' | 'setItem' | 'removeItem'>;
  /** Loads `url` as a fresh page. */
  readonly load: (url: string) => void;
  readonly now: () => number;
  /** Where `vite:preloadError` is dispatched. */
  readonly events: EventTarget;
  /** The current page's URL, for failures outside a navigation. */
  readonly currentUrl: () => string;
}

// What each engine says when `import()` of a chunk fails: Chromium, Firefox, Safari; Vite's CSS preload.
const CHUNK_ERROR =
  /Failed to fetch dynamically imported module|error loading dynamically imported module|Importing a module script failed|Unable to preload CSS/i;

/** Whether `error` is a lazy chunk (JS or CSS) that could not be loaded, e.g. removed by a newer deploy. */
export function isChunkLoadError(error: unknown): boolean {
  return error instanceof Error && (CHUNK_ERROR.test(error.message) || error.name === 'ChunkLoadError');
}

/**
 * After a deploy, an open tab's index.html names chunks the server no longer has (their hashes changed)
 * and a lazy route answers 404. Loading the page again fetches the new index.html and its chunks. The
 * reload happens once: the time is kept in sessionStorage, and a second failure within RELOAD_GUARD_MS
 * (the new build is broken too, or the network is down) is left to surface instead of reloading forever.
 * A navigation that succeeds clears the mark. Vite documents the `vite:preloadError` event for this:
 * https://vite.dev/guide/build#load-error-handling
 */
export function installChunkReload(router: Router, env: ReloadEnvironment = browserEnvironment()): void {
  const reloadOnce = (url: string): boolean => {
    const last = Number(env.storage.getItem(RELOAD_KEY) ?? 0);
    if (last > 0 && env.now() - last < RELOAD_GUARD_MS) return false;
    env.storage.setItem(RELOAD_KEY, String(env.now()));
    env.load(url);
    return true;
  };

  // Vite reports a failed lazy import before the router does; during a navigation the router's
  // handler reloads at the page the user was going to, not the one they are leaving.
  let navigatingTo: RouteLocationNormalized | null = null;
  router.beforeEach((to) => {
    navigatingTo = to;
  });

  router.onError((error, to) => {
    navigatingTo = null;
    if (isChunkLoadError(error)) reloadOnce(router.resolve(to).href);
  });

  env.events.addEventListener('vite:preloadError', (event) => {
    if (navigatingTo) return;
    // preventDefault keeps Vite from rethrowing; when the guard refuses, the error surfaces.
    if (reloadOnce(env.currentUrl())) event.preventDefault();
  });

  router.afterEach((_to, _from, failure) => {
    navigatingTo = null;
    if (!failure) env.storage.removeItem(RELOAD_KEY);
  });
}

function browserEnvironment(): ReloadEnvironment {
  return {
    storage: window.sessionStorage,
    load: (url) => window.location.assign(url),
    now: () => Date.now(),
    events: window,
    currentUrl: () => window.location.href,
  };
}
