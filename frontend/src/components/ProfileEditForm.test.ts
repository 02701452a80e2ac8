import { flushPromises, mount } from '@vue/test-utils';
import { describe, expect, it, vi } from 'vitest';
import type { Profile, ProfileUpdate } from '../api/secure-api.js';
import { testVuetify } from '../test-utils.js';
import ProfileEditForm from './ProfileEditForm.vue';

const profile: Profile = {
  uid: 'u1',
  email: 'ada@example.test',
  emailVerified: true,
  displayName: 'Ada',
  bio: '',
  authLevel: 'AUTHENTICATED',
  createdAt: '2026-01-01T00:00:00Z',
  updatedAt: '2026-01-01T00:00:00Z',
};

function mountForm(save: (update: ProfileUpdate) => Promise<void> = vi.fn(async () => {})) {
  return mount(ProfileEditForm, { props: { profile, save }, global: { plugins: [testVuetify()] }, attachTo: document.body });
}

type Wrapper = ReturnType<typeof mountForm>;
const nameInput = (wrapper: Wrapper) => wrapper.find('[data-testid="profile-display-name"] input');
const bioInput = (wrapper: Wrapper) => wrapper.find('[data-testid="profile-bio"] textarea');
const counterOf = (wrapper: Wrapper, testid: string) => wrapper.find(`[data-testid="${testid}"] .v-counter`).text();

// 🎉 is one character (code point) but two UTF-16 units: the rules, the counters and secure-api count it once.
describe('ProfileEditForm lengths', () => {
  it('when name and bio are astral characters exactly at their limits, then the counters are full and the profile is saved', async () => {
    const save = vi.fn(async () => {});
    const wrapper = mountForm(save);
    await nameInput(wrapper).setValue('🎉'.repeat(50));
    await bioInput(wrapper).setValue(`${'b'.repeat(279)}🎉`);
    expect(counterOf(wrapper, 'profile-display-name')).toBe('50 / 50');
    expect(counterOf(wrapper, 'profile-bio')).toBe('280 / 280');

    await wrapper.find('form').trigger('submit');
    await flushPromises();

    expect(wrapper.text()).not.toContain('At most');
    expect(save).toHaveBeenCalledWith({ displayName: '🎉'.repeat(50), bio: `${'b'.repeat(279)}🎉` });
    wrapper.unmount();
  });

  it('when name or bio is one code point over its limit, then the counter and the rule agree and nothing is saved', async () => {
    const save = vi.fn(async () => {});
    const wrapper = mountForm(save);
    await nameInput(wrapper).setValue('🎉'.repeat(51));
    await bioInput(wrapper).setValue(`${'b'.repeat(280)}🎉`);
    expect(counterOf(wrapper, 'profile-display-name')).toBe('51 / 50');
    expect(counterOf(wrapper, 'profile-bio')).toBe('281 / 280');

    await wrapper.find('form').trigger('submit');
    await flushPromises();

    expect(save).not.toHaveBeenCalled();
    expect(wrapper.text()).toContain('At most 50 characters.');
    expect(wrapper.text()).toContain('At most 280 characters.');
    wrapper.unmount();
  });
});
