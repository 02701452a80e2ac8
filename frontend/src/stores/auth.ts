import {
  createUserWithEmailAndPassword,
  EmailAuthProvider,
  GoogleAuthProvider,
  onIdTokenChanged,
  reauthenticateWithCredential,
  reauthenticateWithPopup,
  sendPasswordResetEmail,
  signInWithEmailAndPassword,
  signInWithCredential,
  signInWithPopup,
  signOut as firebaseSignOut,
  type Auth,
  type User,
} from 'firebase/auth';
import { defineStore } from 'pinia';
import { computed, ref, shallowRef } from 'vue';

export type AuthStatus = 'starting' | 'ready' | 'unavailable';

class NotSignedInError extends Error {
  override name = 'NotSignedInError';
  constructor() {
    super('You are not signed in.');
  }
}

/**
 * The Google account the Auth emulator signs in with. Google's popup needs Google's servers (it
 * loads apis.google.com), so against the emulator the app hands it an unsigned Google ID token
 * instead, which the emulator accepts by design and real Firebase never would.
 */
const EMULATOR_GOOGLE_USER = {
  sub: 'emulator-google-user',
  email: 'google.user@example.test',
  email_verified: true,
  name: 'Google Test User',
} as const;

function emulatorGoogleCredential(claims: { sub: string; email: string | null }) {
  return GoogleAuthProvider.credential(JSON.stringify({ ...EMULATOR_GOOGLE_USER, ...claims }));
}

/** Firebase Auth behind a small surface: who is signed in, and the actions the pages need. */
export const useAuthStore = defineStore('auth', () => {
  // shallowRef: Firebase's User must not be wrapped in a deep reactive proxy.
  const auth = shallowRef<Auth | null>(null);
  const user = shallowRef<User | null>(null);
  const status = ref<AuthStatus>('starting');
  const unavailableReason = ref<string | null>(null);
  let markReady: () => void = () => {};
  const ready = new Promise<void>((resolve) => (markReady = resolve));

  const signedIn = computed(() => user.value !== null);
  const usesPassword = computed(() => user.value?.providerData.some((p) => p.providerId === 'password') ?? false);

  function start(firebaseAuth: Auth): void {
    auth.value = firebaseAuth;
    // onIdTokenChanged also fires after re-authentication, so the UI sees fresh user data.
    onIdTokenChanged(firebaseAuth, (next) => {
      user.value = next;
      status.value = 'ready';
      markReady();
    });
  }

  function fail(reason: string): void {
    status.value = 'unavailable';
    unavailableReason.value = reason;
    markReady();
  }

  function requireAuth(): Auth {
    if (!auth.value) throw new Error(unavailableReason.value ?? 'Sign-in is not available.');
    return auth.value;
  }

  function requireUser(): User {
    if (!user.value) throw new NotSignedInError();
    return user.value;
  }

  async function signUp(email: string, password: string): Promise<void> {
    await createUserWithEmailAndPassword(requireAuth(), email, password);
  }

  async function signIn(email: string, password: string): Promise<void> {
    await signInWithEmailAndPassword(requireAuth(), email, password);
  }

  async function signInWithGoogle(): Promise<void> {
    const firebaseAuth = requireAuth();
    if (firebaseAuth.emulatorConfig) {
      await signInWithCredential(firebaseAuth, emulatorGoogleCredential(EMULATOR_GOOGLE_USER));
      return;
    }
    await signInWithPopup(firebaseAuth, new GoogleAuthProvider());
  }

  async function signOut(): Promise<void> {
    if (auth.value) await firebaseSignOut(auth.value);
  }

  async function sendPasswordReset(email: string): Promise<void> {
    await sendPasswordResetEmail(requireAuth(), email);
  }

  async function reauthenticateWithPassword(password: string): Promise<void> {
    const current = requireUser();
    await reauthenticateWithCredential(current, EmailAuthProvider.credential(current.email ?? '', password));
  }

  async function reauthenticateWithGoogle(): Promise<void> {
    const current = requireUser();
    if (requireAuth().emulatorConfig) {
      const google = current.providerData.find((p) => p.providerId === 'google.com');
      await reauthenticateWithCredential(
        current,
        emulatorGoogleCredential({ sub: google?.uid ?? EMULATOR_GOOGLE_USER.sub, email: google?.email ?? current.email }),
      );
      return;
    }
    await reauthenticateWithPopup(current, new GoogleAuthProvider());
  }

  async function idToken(forceRefresh = false): Promise<string> {
    return requireUser().getIdToken(forceRefresh);
  }

  return {
    user,
    status,
    unavailableReason,
    signedIn,
    usesPassword,
    ready,
    start,
    fail,
    signUp,
    signIn,
    signInWithGoogle,
    signOut,
    sendPasswordReset,
    reauthenticateWithPassword,
    reauthenticateWithGoogle,
    idToken,
  };
});
