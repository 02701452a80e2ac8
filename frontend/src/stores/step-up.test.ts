import type { User } from 'firebase/auth';
import { createPinia, setActivePinia } from 'pinia';
import { beforeEach, describe, expect, it, vi } from 'vitest';
import { useAuthStore } from './auth.js';
import { StepUpCancelledError, useStepUpStore } from './step-up.js';

function signedInWith(providerId: string) {
  const auth = useAuthStore();
  auth.user = { email: 'a@example.test', providerData: [{ providerId }] } as unknown as User;
  return auth;
}

beforeEach(() => {
  setActivePinia(createPinia());
});

describe('step-up prompt', () => {
  it('when a password user must re-authenticate, then the dialog opens and a correct password settles the wait', async () => {
    const auth = signedInWith('password');
    auth.reauthenticateWithPassword = vi.fn(async () => {});
    const stepUp = useStepUpStore();

    const waiting = stepUp.reauthenticate();
    expect(stepUp.open).toBe(true);
    await stepUp.submit('secret');

    await expect(waiting).resolves.toBeUndefined();
    expect(auth.reauthenticateWithPassword).toHaveBeenCalledWith('secret');
    expect(stepUp.open).toBe(false);
  });

  it('when the password is wrong, then the dialog stays open with the reason and a second try can succeed', async () => {
    const auth = signedInWith('password');
    auth.reauthenticateWithPassword = vi
      .fn()
      .mockRejectedValueOnce(Object.assign(new Error('bad'), { code: 'auth/invalid-credential' }))
      .mockResolvedValueOnce(undefined);
    const stepUp = useStepUpStore();

    const waiting = stepUp.reauthenticate();
    await stepUp.submit('wrong');
    expect(stepUp.open).toBe(true);
    expect(stepUp.error).toBe('The email or password is not right.');

    await stepUp.submit('right');
    await expect(waiting).resolves.toBeUndefined();
  });

  it('when the user cancels, then the waiting call is rejected with StepUpCancelledError', async () => {
    signedInWith('password');
    const stepUp = useStepUpStore();
    const waiting = stepUp.reauthenticate();
    stepUp.cancel();
    await expect(waiting).rejects.toBeInstanceOf(StepUpCancelledError);
    expect(stepUp.open).toBe(false);
  });

  it('when the user signed in with Google, then the popup re-authenticates instead of a password dialog', async () => {
    const auth = signedInWith('google.com');
    auth.reauthenticateWithGoogle = vi.fn(async () => {});
    const stepUp = useStepUpStore();
    await stepUp.reauthenticate();
    expect(auth.reauthenticateWithGoogle).toHaveBeenCalledOnce();
    expect(stepUp.open).toBe(false);
  });
});
