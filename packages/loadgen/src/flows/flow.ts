import type { Session } from '@testbed/protos/auth/v1/web';
import type { UserSession } from '../session.js';

/** What a flow needs: the testbed's origin, one virtual user's session and the grpc-web client. */
export interface FlowContext {
  /** The gateway's origin, no trailing slash. */
  readonly baseUrl: string;
  readonly timeoutMs: number;
  readonly user: UserSession;
  readonly getSession: (idToken: string) => Promise<Session>;
  /** A number in [0, 1), as Math.random. */
  readonly random: () => number;
}

/** One thing a user does in the SPA, as the requests the SPA makes for it. Rejects when any request fails. */
export interface Flow {
  readonly name: string;
  /** Signs the user in: when it fails, the rest of the visit cannot run. */
  readonly startsSession?: boolean;
  readonly run: (context: FlowContext) => Promise<void>;
}

/** Throws when an answer is not what the SPA needs to render, so a wrong 200 counts as an error too. */
export function expectThat(condition: boolean, message: string): asserts condition {
  if (!condition) throw new Error(message);
}
