import { onBeforeUnmount, onMounted } from 'vue';

/**
 * Runs `task` now and then every `intervalMs` while the component is mounted, paused while the tab
 * is hidden (no requests nobody sees) and resumed with an immediate run when it is shown again.
 * Runs never overlap: the next one is scheduled after the previous one settles.
 */
export function usePolling(task: () => Promise<unknown>, intervalMs: number): { refresh: () => Promise<void> } {
  let timer: ReturnType<typeof setTimeout> | undefined;
  let running: Promise<void> | undefined;
  let active = false;

  function schedule() {
    clearTimeout(timer);
    if (active && document.visibilityState !== 'hidden') timer = setTimeout(() => void refresh(), intervalMs);
  }

  function refresh(): Promise<void> {
    running ??= task()
      .catch(() => undefined)
      .then(() => {
        running = undefined;
        schedule();
      });
    return running;
  }

  function onVisibilityChange() {
    if (document.visibilityState === 'hidden') clearTimeout(timer);
    else void refresh();
  }

  onMounted(() => {
    active = true;
    document.addEventListener('visibilitychange', onVisibilityChange);
    void refresh();
  });
  onBeforeUnmount(() => {
    active = false;
    clearTimeout(timer);
    document.removeEventListener('visibilitychange', onVisibilityChange);
  });

  return { refresh };
}
