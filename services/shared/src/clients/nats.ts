import { connect, type NatsConnection } from '@nats-io/transport-node';
import type { Logger } from 'pino';

export type { NatsConnection } from '@nats-io/transport-node';

/** Connects to NATS and keeps reconnecting forever: an outage delays messages, it does not kill the process. */
export async function connectNats(url: string, name: string, logger: Logger): Promise<NatsConnection> {
  const nc = await connect({
    servers: url.split(','),
    name,
    maxReconnectAttempts: -1,
    reconnectTimeWait: 1_000,
    waitOnFirstConnect: true,
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
