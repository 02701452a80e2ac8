import { flushPromises, mount } from '@vue/test-utils';
import { describe, expect, it, vi } from 'vitest';
import { ApiError } from '../api/api-error.js';
import type { Message, NewMessage } from '../api/public-api.js';
import { testVuetify } from '../test-utils.js';
import MessagePostForm from './MessagePostForm.vue';

const created: Message = { id: 'm1', text: 'hello', author: { uid: null, displayName: 'anonymous' }, createdAt: '2026-01-01T00:00:00Z' };

function mountForm(post: (message: NewMessage) => Promise<Message> = vi.fn(async () => created), askAuthor = true) {
  return mount(MessagePostForm, { props: { post, askAuthor }, global: { plugins: [testVuetify()] }, attachTo: document.body });
}

const textarea = (wrapper: ReturnType<typeof mountForm>) => wrapper.find('[data-testid="post-text"] textarea');
const counter = (wrapper: ReturnType<typeof mountForm>) => wrapper.find('[data-testid="post-text"] .v-counter').text();

describe('MessagePostForm', () => {
  it('when the user types, then the counter shows trimmed length out of 280', async () => {
    const wrapper = mountForm();
    expect(counter(wrapper)).toBe('0 / 280');
    await textarea(wrapper).setValue('  hello  ');
    expect(counter(wrapper)).toBe('5 / 280');
    wrapper.unmount();
  });

  it('when the message is empty and submitted, then nothing is posted and the field says why', async () => {
    const post = vi.fn(async () => created);
    const wrapper = mountForm(post);
    await wrapper.find('form').trigger('submit');
    await flushPromises();
    expect(post).not.toHaveBeenCalled();
    expect(wrapper.text()).toContain('Write something first.');
    wrapper.unmount();
  });

  it('when the message is longer than 280 characters, then it is refused before any request', async () => {
    const post = vi.fn(async () => created);
    const wrapper = mountForm(post);
    await textarea(wrapper).setValue('x'.repeat(281));
    await wrapper.find('form').trigger('submit');
    await flushPromises();
    expect(post).not.toHaveBeenCalled();
    expect(wrapper.text()).toContain('At most 280 characters.');
    expect(counter(wrapper)).toBe('281 / 280');
    wrapper.unmount();
  });

  // 🎉 is one character (code point) but two UTF-16 units: the rule, the counter and the API count it once.
  it('when the message is 280 astral characters, then the counter says 280 / 280 and it is posted', async () => {
    const post = vi.fn(async () => created);
    const wrapper = mountForm(post);
    await textarea(wrapper).setValue('🎉'.repeat(280));
    expect(counter(wrapper)).toBe('280 / 280');
    await wrapper.find('form').trigger('submit');
    await flushPromises();
    expect(wrapper.text()).not.toContain('At most');
    expect(post).toHaveBeenCalledWith({ text: '🎉'.repeat(280) });
    wrapper.unmount();
  });

  it('when the message is 281 characters ending in an astral one, then the counter and the rule agree that it is too long', async () => {
    const post = vi.fn(async () => created);
    const wrapper = mountForm(post);
    await textarea(wrapper).setValue(`${'x'.repeat(280)}🎉`);
    await wrapper.find('form').trigger('submit');
    await flushPromises();
    expect(post).not.toHaveBeenCalled();
    expect(wrapper.text()).toContain('At most 280 characters.');
    expect(counter(wrapper)).toBe('281 / 280');
    wrapper.unmount();
  });

  it('when the author name is astral characters, then its counter and rule count code points (40 fits, 41 does not)', async () => {
    const wrapper = mountForm();
    const author = wrapper.find('[data-testid="post-author"] input');
    await author.setValue('🎉'.repeat(40));
    expect(wrapper.find('[data-testid="post-author"] .v-counter').text()).toBe('40 / 40');
    expect(wrapper.text()).not.toContain('At most 40 characters.');
    await author.setValue('🎉'.repeat(41));
    expect(wrapper.find('[data-testid="post-author"] .v-counter').text()).toBe('41 / 40');
    expect(wrapper.text()).toContain('At most 40 characters.');
    wrapper.unmount();
  });

  it('when a valid message is posted, then trimmed text and author are sent, the form clears and `posted` is emitted', async () => {
    const post = vi.fn(async () => created);
    const wrapper = mountForm(post);
    await textarea(wrapper).setValue('  hello  ');
    await wrapper.find('[data-testid="post-author"] input').setValue(' Ada ');
    await wrapper.find('form').trigger('submit');
    await flushPromises();
    expect(post).toHaveBeenCalledWith({ text: 'hello', author: 'Ada' });
    expect(wrapper.emitted('posted')?.[0]).toEqual([created]);
    expect((textarea(wrapper).element as HTMLTextAreaElement).value).toBe('');
    wrapper.unmount();
  });

  it('when the server rate-limits the post, then a readable alert gives the wait and the text is kept', async () => {
    const post = vi.fn(async () => Promise.reject(new ApiError(429, 'Too Many Requests', undefined, [], 30)));
    const wrapper = mountForm(post);
    await textarea(wrapper).setValue('hello');
    await wrapper.find('form').trigger('submit');
    await flushPromises();
    expect(wrapper.find('[data-testid="post-error"]').text()).toContain('try again in 30 s');
    expect((textarea(wrapper).element as HTMLTextAreaElement).value).toBe('hello');
    wrapper.unmount();
  });

  it('when the server rejects a field (problem+json errors), then the message shows on that field', async () => {
    const post = vi.fn(async () => Promise.reject(new ApiError(400, 'Invalid request', undefined, [{ field: 'text', message: 'Server says no' }])));
    const wrapper = mountForm(post);
    await textarea(wrapper).setValue('hello');
    await wrapper.find('form').trigger('submit');
    await flushPromises();
    expect(wrapper.find('[data-testid="post-text"]').text()).toContain('Server says no');
    expect(wrapper.find('[data-testid="post-error"]').exists()).toBe(false);
    wrapper.unmount();
  });

  it('when the poster is signed in, then there is no author field', () => {
    const wrapper = mountForm(undefined, false);
    expect(wrapper.find('[data-testid="post-author"]').exists()).toBe(false);
    wrapper.unmount();
  });
});
