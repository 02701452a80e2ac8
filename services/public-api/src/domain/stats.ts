import type { statsSchema } from '@testbed/contracts/http';
import type { z } from 'zod';

/**
 * The site counters, exactly as the contracts' `Stats`: messages, distinct users that signed in,
 * sign-ins, and `updatedAt`, the time (CloudEvent `time`, UTC ISO 8601) of the newest event they
 * count, null before the first.
 */
export type SiteStats = z.output<typeof statsSchema>;

/**
 * The counters event-consumer keeps and serves; this service only reads them.
 *
 * @throws AppError `unavailable` (503 with Retry-After) when event-consumer is down, slow or failing.
 */
export interface StatsReader {
  read(): Promise<SiteStats>;
}
