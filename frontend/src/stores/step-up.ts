import { defineStore } from 'pinia';
import { ref } from 'vue';
import { describeAuthError } from '../api/auth-errors.js';
import { useAuthStore } from './auth.js';

export class StepUpCancelledError extends Error {
  override name = 'StepUpCancelledError';
  constructor() {
    super('Confirmation was cancelled.');
  }
}

/**
 * The step-up prompt: a secure call that needs a fresh sign-in awaits `reauthenticate()`, which
 * opens the password dialog (or the Google popup) and settles when the user confirms or cancels.
 */
export const useStepUpStore = defineStore('step-up', () => {
  const auth = useAuthStore();
  const open = ref(false);
  const busy = ref(false);
  const error = ref<string | null>(null);
  let pending: { resolve: () => void; reject: (error: Error) => void } | null = null;

  function reauthenticate(): Promise<void> {
    if (!auth.usesPassword) return auth.reauthenticateWithGoogle();
    pending?.reject(new StepUpCancelledError());
    error.value = null;
    open.value = true;
    return new Promise<void>((resolve, reject) => (pending = { resolve, reject }));
  }

  async function submit(password: string): Promise<void> {
    busy.value = true;
    error.value = null;
    try {
      await auth.reauthenticateWithPassword(password);
      open.value = false;
      pending?.resolve();
      pending = null;
    } catch (e) {
      error.value = describeAuthError(e);
    } finally {
      busy.value = false;
    }
  }

  function cancel(): void {
    open.value = false;
    pending?.reject(new StepUpCancelledError());
    pending = null;
  }

  return { open, busy, error, reauthenticate, submit, cancel };
});
