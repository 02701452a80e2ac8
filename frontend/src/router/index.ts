import { createRouter, createWebHistory, type RouteRecordRaw, type Router } from 'vue-router';
import { useAuthStore } from '../stores/auth.js';
import { installChunkReload } from './chunk-reload.js';

declare module 'vue-router' {
  interface RouteMeta {
    title: string;
    requiresAuth?: boolean;
    /** Sign-in pages: a signed-in user goes on to where they were heading. */
    guestOnly?: boolean;
  }
}

export const routes: RouteRecordRaw[] = [
  { path: '/', name: 'board', component: () => import('../pages/MessageBoardPage.vue'), meta: { title: 'Message board' } },
  { path: '/activity', name: 'activity', component: () => import('../pages/ActivityPage.vue'), meta: { title: 'Activity' } },
  { path: '/signin', name: 'signin', component: () => import('../pages/SignInPage.vue'), meta: { title: 'Sign in', guestOnly: true } },
  { path: '/signup', name: 'signup', component: () => import('../pages/SignUpPage.vue'), meta: { title: 'Sign up', guestOnly: true } },
  { path: '/reset-password', name: 'reset-password', component: () => import('../pages/ResetPasswordPage.vue'), meta: { title: 'Reset password' } },
  { path: '/profile', name: 'profile', component: () => import('../pages/ProfilePage.vue'), meta: { title: 'Profile', requiresAuth: true } },
  { path: '/session', name: 'session', component: () => import('../pages/SessionPage.vue'), meta: { title: 'Session', requiresAuth: true } },
  { path: '/:pathMatch(.*)*', name: 'not-found', component: () => import('../pages/NotFoundPage.vue'), meta: { title: 'Not found' } },
];

/** Only same-app paths: an attacker-supplied ?redirect=https://evil.example must not leave the site. */
export function safeRedirect(value: unknown): string {
  return typeof value === 'string' && value.startsWith('/') && !value.startsWith('//') ? value : '/';
}

/** Sign-in pages and signed-in pages, decided once Firebase has said who is signed in. */
export function installGuards(router: Router): void {
  router.beforeEach(async (to) => {
    if (!to.meta.requiresAuth && !to.meta.guestOnly) return true;
    const auth = useAuthStore();
    await auth.ready;
    if (to.meta.requiresAuth && !auth.signedIn) return { name: 'signin', query: { redirect: to.fullPath } };
    if (to.meta.guestOnly && auth.signedIn) return safeRedirect(to.query['redirect']);
    return true;
  });

  router.afterEach((to) => {
    document.title = `${to.meta.title} · testbed`;
  });
}

export const router = createRouter({
  history: createWebHistory(import.meta.env.BASE_URL),
  routes,
});
installGuards(router);
installChunkReload(router);
