import type { User } from 'firebase/auth';
import { createPinia, setActivePinia } from 'pinia';
import { beforeEach, describe, expect, it } from 'vitest';
import { defineComponent } from 'vue';
import { createMemoryHistory, createRouter } from 'vue-router';
import { useAuthStore } from '../stores/auth.js';
import { installGuards, routes, safeRedirect } from './index.js';

const Stub = defineComponent({ template: '<div />' });

function testRouter() {
  const router = createRouter({ history: createMemoryHistory(), routes: routes.map((r) => ({ ...r, component: Stub })) as typeof routes });
  installGuards(router);
  return router;
}

beforeEach(() => {
  setActivePinia(createPinia());
});

describe('route guards', () => {
  it('when a signed-out visitor opens /profile, then they are sent to sign-in with a redirect back', async () => {
    const auth = useAuthStore();
    auth.fail('no config in this test');
    const router = testRouter();
    await router.push('/profile');
    expect(router.currentRoute.value.path).toBe('/signin');
    expect(router.currentRoute.value.query['redirect']).toBe('/profile');
  });

  it('when auth has not settled yet, then the guard waits for it instead of guessing', async () => {
    const auth = useAuthStore();
    const router = testRouter();
    const navigation = router.push('/session');
    auth.user = { uid: 'u1', providerData: [] } as unknown as User;
    auth.fail('settle');
    await navigation;
    expect(router.currentRoute.value.path).toBe('/session');
  });

  it('when a signed-in user opens /signin?redirect=/session, then they go straight to /session', async () => {
    const auth = useAuthStore();
    auth.user = { uid: 'u1', providerData: [] } as unknown as User;
    auth.fail('settle');
    const router = testRouter();
    await router.push('/signin?redirect=/session');
    expect(router.currentRoute.value.path).toBe('/session');
  });

  it('when public pages are opened, then no sign-in is needed', async () => {
    useAuthStore().fail('settle');
    const router = testRouter();
    await router.push('/activity');
    expect(router.currentRoute.value.path).toBe('/activity');
  });
});

describe('safeRedirect', () => {
  it('when the redirect points off-site or is not a path, then it falls back to /', () => {
    expect(safeRedirect('/profile?tab=1')).toBe('/profile?tab=1');
    expect(safeRedirect('//evil.example/x')).toBe('/');
    expect(safeRedirect('https://evil.example')).toBe('/');
    expect(safeRedirect(['/a'])).toBe('/');
    expect(safeRedirect(undefined)).toBe('/');
  });
});
