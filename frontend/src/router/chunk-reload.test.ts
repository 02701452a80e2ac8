import { describe, expect, it, vi } from 'vitest';
import { defineComponent } from 'vue';
import { createMemoryHistory, createRouter } from 'vue-router';
import { installChunkReload, isChunkLoadError, RELOAD_GUARD_MS, RELOAD_KEY, type ReloadEnvironment } from './chunk-reload.js';

const Page = defineComponent({ template: '<div />' });
const missingChunk = () => new TypeError('Failed to fetch dynamically imported module: https://app.example/assets/ActivityPage-1a2b3c.js');

function setup(loadActivity: () => Promise<unknown> = () => Promise.reject(missingChunk()), events = new EventTarget()) {
  const stored = new Map<string, string>();
  let now = 1_000_000;
  const env = {
    storage: {
      getItem: (key: string) => stored.get(key) ?? null,
      setItem: (key: string, value: string) => void stored.set(key, value),
      removeItem: (key: string) => void stored.delete(key),
    },
    load: vi.fn<(url: string) => void>(),
    now: () => now,
    events,
    currentUrl: () => 'https://app.example/profile',
  } satisfies ReloadEnvironment;
  const router = createRouter({
    history: createMemoryHistory(),
    routes: [
      { path: '/', component: Page },
      { path: '/activity', component: () => loadActivity() as Promise<typeof Page> },
    ],
  });
  installChunkReload(router, env);
  return { router, env, stored, advance: (ms: number) => (now += ms) };
}

describe('reload on a missing lazy chunk', () => {
  it('when a lazy route chunk fails to load (removed by a deploy), then the page is loaded again once, at that route', async () => {
    const { router, env, stored } = setup();
    await router.push('/');

    await router.push('/activity').catch(() => undefined);

    expect(env.load).toHaveBeenCalledTimes(1);
    expect(env.load).toHaveBeenCalledWith('/activity');
    expect(stored.has(RELOAD_KEY)).toBe(true);
  });

  it('when the chunk is still missing right after that reload, then it does not reload again (no loop)', async () => {
    const { router, env, advance } = setup();
    await router.push('/activity').catch(() => undefined);
    advance(2_000);

    await router.push('/activity').catch(() => undefined);

    expect(env.load).toHaveBeenCalledTimes(1);
  });

  it('when a navigation succeeds after the reload, then a later missing chunk reloads again', async () => {
    const { router, env, stored } = setup();
    await router.push('/activity').catch(() => undefined);
    await router.push('/');
    expect(stored.has(RELOAD_KEY)).toBe(false);

    await router.push('/activity').catch(() => undefined);

    expect(env.load).toHaveBeenCalledTimes(2);
  });

  it('when the previous reload is older than the guard, then it may reload again', async () => {
    const { router, env, advance } = setup();
    await router.push('/activity').catch(() => undefined);
    advance(RELOAD_GUARD_MS + 1);

    await router.push('/activity').catch(() => undefined);

    expect(env.load).toHaveBeenCalledTimes(2);
  });

  it('when a route fails for another reason, then nothing reloads and the error surfaces', async () => {
    const { router, env } = setup(() => Promise.reject(new Error('render bug')));

    await expect(router.push('/activity')).rejects.toThrow('render bug');

    expect(env.load).not.toHaveBeenCalled();
  });

  it('when Vite reports a preload error, then the page reloads once and Vite is told not to rethrow', () => {
    const { env } = setup();
    const first = new Event('vite:preloadError', { cancelable: true });
    const second = new Event('vite:preloadError', { cancelable: true });

    env.events.dispatchEvent(first);
    env.events.dispatchEvent(second);

    expect(first.defaultPrevented).toBe(true);
    expect(second.defaultPrevented).toBe(false);
    expect(env.load).toHaveBeenCalledTimes(1);
    expect(env.load).toHaveBeenCalledWith('https://app.example/profile');
  });
});

describe('reload on a Vite preload error during a navigation', () => {
  it('when Vite reports the failed chunk of the route being opened, then the page reloads once, at that route', async () => {
    const events = new EventTarget();
    const { router, env } = setup(() => {
      // What Vite's preload helper does before rethrowing the import error.
      const event = new Event('vite:preloadError', { cancelable: true });
      events.dispatchEvent(event);
      return event.defaultPrevented ? Promise.resolve(Page) : Promise.reject(missingChunk());
    }, events);
    await router.push('/');

    await router.push('/activity').catch(() => undefined);

    expect(env.load.mock.calls).toEqual([['/activity']]);
  });
});

describe('isChunkLoadError', () => {
  it.each([
    ['Chromium', new TypeError('Failed to fetch dynamically imported module: /assets/a.js'), true],
    ['Firefox', new TypeError('error loading dynamically imported module: /assets/a.js'), true],
    ['Safari', new TypeError('Importing a module script failed.'), true],
    ['Vite CSS preload', new Error('Unable to preload CSS for /assets/a.css'), true],
    ['another error', new Error('Cannot read properties of undefined'), false],
    ['a non-error', 'Failed to fetch dynamically imported module', false],
  ])('when the error is from %s, then isChunkLoadError says %s', (_engine, error, expected) => {
    expect(isChunkLoadError(error)).toBe(expected);
  });
});
