import type { Flow } from './flow.js';

/** A new visitor creates an email/password account (Identity Toolkit accounts:signUp). */
export const signUp: Flow = {
  name: 'sign-up',
  startsSession: true,
  run: ({ user }) => user.signUp(),
};
