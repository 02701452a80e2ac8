import { useDocumentVisibility, useTimeoutPoll } from '@vueuse/core';
import { onMounted, watch } from 'vue';

/**
 * Runs `task` now and then every `intervalMs` while the component is mounted, paused while the tab
 * is hidden (no requests nobody sees) and resumed with an immediate run when it is shown again.
 * Runs never overlap (a run asked for while one is in flight joins it), and a failed run does not
 * stop the polling: the page shows the last data it got. Scheduling is VueUse's `useTimeoutPoll`
 * (the next run is timed from the end of the previous one) and `useDocumentVisibility`.
 *
 * @returns `refresh`, which runs the task now (joining a run in flight) and resolves when it settles
 */
export function usePolling(task: () => Promise<unknown>, intervalMs: number): { refresh: () => Promise<void> } {
  let running: Promise<void> | undefined;

  function refresh(): Promise<void> {
    running ??= task()
      .then(
        () => undefined,
        () => undefined,
      )
      .finally(() => {
        running = undefined;
      });
    return running;
  }

  const { pause, resume } = useTimeoutPoll(refresh, intervalMs, { immediate: false, immediateCallback: true });
  const visibility = useDocumentVisibility();
  onMounted(() => {
    if (visibility.value !== 'hidden') resume();
  });
  watch(visibility, (state) => (state === 'hidden' ? pause() : resume()));

  return { refresh };
}
