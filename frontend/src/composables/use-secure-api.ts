import { createSecureApi, type SecureApi } from '../api/secure-api.js';
import { useAuthStore } from '../stores/auth.js';
import { useStepUpStore } from '../stores/step-up.js';

/** The secure API bound to the signed-in user, with the step-up prompt wired in. */
export function useSecureApi(): SecureApi {
  const auth = useAuthStore();
  const stepUp = useStepUpStore();
  return createSecureApi({ getToken: (force) => auth.idToken(force), reauthenticate: () => stepUp.reauthenticate() });
}
