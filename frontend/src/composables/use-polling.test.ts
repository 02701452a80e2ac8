import { mount } from '@vue/test-utils';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { defineComponent, h } from 'vue';
import { usePolling } from './use-polling.js';

function setVisibility(state: 'visible' | 'hidden') {
  Object.defineProperty(document, 'visibilityState', { configurable: true, get: () => state });
  document.dispatchEvent(new Event('visibilitychange'));
}

function mountPoller(task: () => Promise<unknown>) {
  return mount(
    defineComponent({
      setup() {
        usePolling(task, 5000);
        return () => h('div');
      },
    }),
  );
}

beforeEach(() => {
  vi.useFakeTimers();
  setVisibility('visible');
});

afterEach(() => {
  vi.useRealTimers();
});

describe('usePolling', () => {
  it('when mounted, then it runs at once and again after each interval', async () => {
    const task = vi.fn(async () => {});
    const wrapper = mountPoller(task);
    await vi.advanceTimersByTimeAsync(0);
    expect(task).toHaveBeenCalledTimes(1);
    await vi.advanceTimersByTimeAsync(5000);
    expect(task).toHaveBeenCalledTimes(2);
    wrapper.unmount();
  });

  it('when the tab is hidden, then it stops, and when shown again it runs immediately', async () => {
    const task = vi.fn(async () => {});
    const wrapper = mountPoller(task);
    await vi.advanceTimersByTimeAsync(0);
    setVisibility('hidden');
    await vi.advanceTimersByTimeAsync(60_000);
    expect(task).toHaveBeenCalledTimes(1);
    setVisibility('visible');
    await vi.advanceTimersByTimeAsync(0);
    expect(task).toHaveBeenCalledTimes(2);
    wrapper.unmount();
  });

  it('when a run fails, then polling continues', async () => {
    const task = vi.fn(async () => Promise.reject(new Error('down')));
    const wrapper = mountPoller(task);
    await vi.advanceTimersByTimeAsync(5000);
    expect(task).toHaveBeenCalledTimes(2);
    wrapper.unmount();
  });

  it('when unmounted, then nothing runs any more', async () => {
    const task = vi.fn(async () => {});
    const wrapper = mountPoller(task);
    await vi.advanceTimersByTimeAsync(0);
    wrapper.unmount();
    await vi.advanceTimersByTimeAsync(20_000);
    setVisibility('visible');
    await vi.advanceTimersByTimeAsync(0);
    expect(task).toHaveBeenCalledTimes(1);
  });
});
