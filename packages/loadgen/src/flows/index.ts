import { browseBoard } from './browse-board.js';
import { editProfile } from './edit-profile.js';
import type { Flow } from './flow.js';
import { postMessage } from './post-message.js';
import { sessionPanel } from './session-panel.js';
import { signIn } from './sign-in.js';
import { signUp } from './sign-up.js';
import { viewProfile } from './view-profile.js';

export type { Flow, FlowContext } from './flow.js';

/** Every flow, in the order the summary lists them. */
export const FLOWS: readonly Flow[] = [browseBoard, signUp, signIn, viewProfile, editProfile, postMessage, sessionPanel];

/**
 * One visit of a virtual user, as a person uses the SPA: look at the board, sign up (first visit)
 * or sign in, look at the profile and the session panel, post, look at the board again, edit the
 * profile; then sign out. Every visit runs every flow but one of sign-up / sign-in.
 */
export function journey(hasAccount: boolean): readonly Flow[] {
  return [browseBoard, hasAccount ? signIn : signUp, viewProfile, sessionPanel, postMessage, browseBoard, editProfile];
}
