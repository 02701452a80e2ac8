import { connect, type NatsConnection } from '@nats-io/transport-node';
import type { Logger } from 'pino';

export type { NatsConnection } from '@nats-io/transport-node';

/** Milliseconds between reconnect attempts to the same server (plus up to 100 ms of jitter). */
export const NATS_RECONNECT_TIME_WAIT_MS = 250;

export interface ConnectNatsOptions {
  /**
   * true (default): when no server answers yet, keep trying and resolve once connected, so a
   * service that cannot work without NATS simply waits for it. false: reject at once, for callers
   * that run their own retry loop in the background and must be able to give up (e.g. on stop).
   */
  readonly waitOnFirstConnect?: boolean;
}

/**
 * Connects to NATS and, once connected, keeps reconnecting forever: an outage delays messages, it
 * does not kill the process. Disconnects and reconnects are logged.
 */
export async function connectNats(url: string, name: string, logger: Logger, options: ConnectNatsOptions = {}): Promise<NatsConnection> {
  const nc = await connect({
    servers: url.split(','),
    name,
    maxReconnectAttempts: -1,
    // Short and jittered: after NATS returns the connection is back well within 2 s, and a fleet
    // of clients does not reconnect in lockstep.
    reconnectTimeWait: NATS_RECONNECT_TIME_WAIT_MS,
    reconnectJitter: 100,
    waitOnFirstConnect: options.waitOnFirstConnect ?? true,
  });
  void (async () => {
    for await (const status of nc.status()) {
      if (status.type === 'disconnect' || status.type === 'reconnect') {
        logger.info({ nats: status.type }, 'nats connection status changed');
      }
    }
  })();
  return nc;
}

export const pingNats = async (nc: NatsConnection): Promise<void> => {
  if (nc.isClosed()) throw new Error('connection closed');
  await nc.flush();
};

/**
 * For a client that connects in the background (an outbox relay, an event publisher): down until
 * its first connection is made, then the same check as pingNats.
 */
export const pingNatsOnceConnected = async (client: { readonly connection: NatsConnection | undefined }): Promise<void> => {
  if (!client.connection) throw new Error('not connected yet');
  await pingNats(client.connection);
};
