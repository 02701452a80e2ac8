import type { Flow } from './flow.js';

/** A returning user signs in with email and password (accounts:signInWithPassword). */
export const signIn: Flow = {
  name: 'sign-in',
  startsSession: true,
  run: ({ user }) => user.signIn(),
};
