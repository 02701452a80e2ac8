import { commonEnv, connectNats, createLogger, loadConfigOrExit, type NatsConnection } from '@testbed/service-kit';
import { topologyFor } from '@testbed/service-kit/events';
import { z } from 'zod';
import { DLQ_USAGE, UsageError, describeError, runDlqCommand } from './dlq-command.js';

const config = loadConfigOrExit(
  z.object({
    NATS_URL: commonEnv.NATS_URL.default('nats://127.0.0.1:4222'),
    EVENT_TOPOLOGY_PREFIX: commonEnv.EVENT_TOPOLOGY_PREFIX,
    LOG_LEVEL: commonEnv.LOG_LEVEL.default('warn'),
  }),
);
const logger = createLogger({ service: 'event-consumer-dlq', level: config.LOG_LEVEL });
const topology = topologyFor(config.EVENT_TOPOLOGY_PREFIX);

// pnpm passes a literal "--" through when the user separates script arguments with it.
const argv = process.argv.slice(2).filter((arg) => arg !== '--');
let nc: NatsConnection;
try {
  // An operator asking "what is waiting?" must hear "NATS is unreachable", not wait forever or
  // read an outage as an empty queue.
  nc = await connectNats(config.NATS_URL, 'event-consumer-dlq', logger, { waitOnFirstConnect: false });
} catch (error) {
  process.stderr.write(`dlq: cannot reach NATS at ${config.NATS_URL}: ${describeError(error)}\n`);
  process.exit(1);
}
let exitCode = 0;
try {
  process.stdout.write(await runDlqCommand(argv, { nc, topology }));
} catch (error) {
  exitCode = error instanceof UsageError ? 2 : 1;
  process.stderr.write(`dlq: ${describeError(error)}\n`);
  if (error instanceof UsageError) process.stderr.write(DLQ_USAGE);
} finally {
  await nc.close();
}
process.exitCode = exitCode;
