const messages: Record<string, string> = {
  'auth/invalid-credential': 'The email or password is not right.',
  'auth/invalid-login-credentials': 'The email or password is not right.',
  'auth/wrong-password': 'The email or password is not right.',
  'auth/user-not-found': 'The email or password is not right.',
  'auth/user-mismatch': 'Those credentials belong to another account.',
  'auth/email-already-in-use': 'An account with this email already exists.',
  'auth/invalid-email': 'That email address is not valid.',
  'auth/weak-password': 'Choose a password of at least 6 characters.',
  'auth/missing-password': 'Enter your password.',
  'auth/too-many-requests': 'Too many attempts: wait a moment and try again.',
  'auth/network-request-failed': 'Cannot reach the sign-in service.',
  'auth/popup-closed-by-user': 'The sign-in window was closed before finishing.',
  'auth/cancelled-popup-request': 'The sign-in window was closed before finishing.',
  'auth/popup-blocked': 'The browser blocked the sign-in window: allow pop-ups for this site.',
  'auth/requires-recent-login': 'Please sign in again to do this.',
  'auth/user-disabled': 'This account is disabled.',
};

/** A sentence for a Firebase Auth error, without exposing SDK internals. */
export function describeAuthError(error: unknown): string {
  const code = typeof error === 'object' && error !== null && 'code' in error ? String(error.code) : '';
  return messages[code] ?? (error instanceof Error && !code ? error.message : 'Sign-in failed. Please try again.');
}
