import { createLogger, type Logger } from '@testbed/service-kit';

/** Quiet unless a test run asks for logs with LOG_LEVEL. */
export const testLogger: Logger = createLogger({
  service: 'event-consumer-test',
  level: (process.env['LOG_LEVEL'] as 'info' | undefined) ?? 'silent',
});
