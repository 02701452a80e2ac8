import type { Logger } from '@testbed/service-kit';
import { userSignedIn, type SignIn } from './events.js';
import type { EventPublisher, SessionStateStore } from './ports.js';

/**
 * Announces each sign-in (uid, auth_time) at least once, without ever delaying or failing the
 * verification that noticed it:
 * - it runs in the background; the publisher bounds each attempt with a timeout;
 * - the sign-in is recorded as announced only after the broker stored the event, so when NATS is
 *   down nothing is recorded and the next verification for that user tries again;
 * - repeats (two replicas, a retry after a lost ack) carry the same deterministic event id, which
 *   JetStream de-duplicates and consumers apply once.
 */
export class SignInAnnouncer {
  /** One attempt per sign-in at a time within this replica. */
  private readonly inFlight = new Map<string, Promise<void>>();

  constructor(private readonly deps: { sessionState: SessionStateStore; events: EventPublisher; logger: Logger }) {}

  /**
   * Starts announcing the sign-in unless it is already announced or being announced; never throws.
   * `known.announced` is what the caller already read from the session state (a cache hit brings it
   * along); when true nothing more is asked of the store.
   */
  announce(signIn: SignIn, known: { announced?: boolean | undefined } = {}): void {
    if (known.announced === true) return;
    const key = `${signIn.uid}\0${signIn.authTime}`;
    if (this.inFlight.has(key)) return;
    this.inFlight.set(
      key,
      this.attempt(signIn).finally(() => this.inFlight.delete(key)),
    );
  }

  /** Resolves once every attempt started so far has finished; for tests and shutdown. */
  async settled(): Promise<void> {
    while (this.inFlight.size > 0) await Promise.all(this.inFlight.values());
  }

  private async attempt(signIn: SignIn): Promise<void> {
    const { sessionState, events, logger } = this.deps;
    try {
      if (await sessionState.isSignInAnnounced(signIn.uid, signIn.authTime)) return;
      await events.publish(userSignedIn(signIn));
      await sessionState.recordSignIn(signIn.uid, signIn.authTime);
    } catch (error) {
      logger.warn({ uid: signIn.uid, err: error }, 'sign-in not announced yet; the next verification for this user retries');
    }
  }
}
