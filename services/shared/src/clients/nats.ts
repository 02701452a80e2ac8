import { connect, type NatsConnection } from '@nats-io/transport-node';
import type { Logger } from 'pino';

export type { NatsConnection } from '@nats-io/transport-node';

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
export async function connectNats(
  url: string,
  name: string,
  logger: Logger,
  options: ConnectNatsOptions = {},
): Promise<NatsConnection> {
  const nc = await connect({
    servers: url.split(','),
    name,
    maxReconnectAttempts: -1,
    reconnectTimeWait: 1_000,
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
