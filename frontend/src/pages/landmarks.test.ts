import { flushPromises, mount } from '@vue/test-utils';
import { createPinia, setActivePinia } from 'pinia';
import { beforeEach, describe, expect, it } from 'vitest';
import { defineComponent, type Component } from 'vue';
import { createMemoryHistory, createRouter } from 'vue-router';
import { useAuthStore } from '../stores/auth.js';
import { testVuetify } from '../test-utils.js';
import NotFoundPage from './NotFoundPage.vue';
import ResetPasswordPage from './ResetPasswordPage.vue';
import SignInPage from './SignInPage.vue';
import SignUpPage from './SignUpPage.vue';

const Blank = defineComponent({ template: '<div />' });

async function mountPage(page: Component) {
  const router = createRouter({ history: createMemoryHistory(), routes: [{ path: '/:any(.*)*', component: Blank }] });
  await router.push('/somewhere');
  const pinia = createPinia();
  setActivePinia(pinia);
  useAuthStore().fail('no Firebase in component tests');
  const wrapper = mount(page, { global: { plugins: [testVuetify(), router, pinia] }, attachTo: document.body });
  await flushPromises();
  return wrapper;
}

beforeEach(() => {
  document.body.innerHTML = '';
});

describe('page headings', () => {
  it.each([
    ['Sign in', SignInPage, 'Sign in'],
    ['Create an account', SignUpPage, 'Create an account'],
    ['Reset password', ResetPasswordPage, 'Reset your password'],
    ['Not found', NotFoundPage, 'This page does not exist'],
  ])('when the %s page renders, then it has exactly one h1 naming it', async (_name, page, heading) => {
    const wrapper = await mountPage(page);

    const headings = wrapper.findAll('h1');
    expect(headings.map((h) => h.text())).toEqual([heading]);
    wrapper.unmount();
  });
});
