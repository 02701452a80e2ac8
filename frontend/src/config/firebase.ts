import { initializeApp } from 'firebase/app';
import { browserLocalPersistence, browserPopupRedirectResolver, connectAuthEmulator, initializeAuth, type Auth } from 'firebase/auth';
import type { RuntimeConfig } from './runtime-config.js';

export function createFirebaseAuth(config: RuntimeConfig): Auth {
  const app = initializeApp(config.firebase);
  // initializeAuth instead of getAuth: only the persistence and popup support the app uses end up in the bundle.
  const auth = initializeAuth(app, { persistence: browserLocalPersistence, popupRedirectResolver: browserPopupRedirectResolver });
  if (config.authEmulatorUrl) connectAuthEmulator(auth, config.authEmulatorUrl, { disableWarnings: true });
  return auth;
}
