import { activityPageSchema, statsSchema } from '@testbed/contracts/http';
import type { ReadModelsApiPaths } from '@testbed/contracts/http/types';
import { UpstreamProblems } from '@testbed/service-kit';
import createClient from 'openapi-fetch';
import type { ActivityFeed, ActivityFilter, ActivityPage, ActivityPageParams } from '../../domain/activity.js';
import type { SiteStats, StatsReader } from '../../domain/stats.js';

/** Seconds our clients should wait before retrying while event-consumer cannot answer. */
const READ_MODELS_RETRY_AFTER_S = 5;

// Every read is safe to repeat and every 5xx of the owner is its own outage, not our client's
// mistake: all of them are a 503 with Retry-After here, never a 500. A 4xx (a cursor it did not
// issue) is passed on with its status, detail and field errors.
const problems = new UpstreamProblems({
  name: 'event-consumer',
  description: 'the activity feed and stats service',
  retryAfterS: READ_MODELS_RETRY_AFTER_S,
  retryable: (status) => status >= 500,
});

/**
 * event-consumer's read API (`/read-models` on its HTTP port, READ_MODELS_URL), typed by the
 * generated OpenAPI types of its contract: the activity feed and the stats, which event-consumer
 * owns. Each call has `timeoutMs` in all; unreachable, slow or failing => 503 with Retry-After.
 */
export class ReadModelsClient implements ActivityFeed, StatsReader {
  private readonly api: ReturnType<typeof createClient<ReadModelsApiPaths>>;

  constructor(
    private readonly baseUrl: string,
    private readonly options: { timeoutMs: number },
  ) {
    this.api = createClient<ReadModelsApiPaths>({ baseUrl: new URL('/read-models', baseUrl).href });
    this.api.use(problems.middleware);
  }

  async list(page: ActivityPageParams, filter: ActivityFilter = {}): Promise<ActivityPage> {
    const query = { limit: page.limit, cursor: page.cursor, actorUid: filter.actorUid };
    const { data } = await problems.guard(this.api.GET('/activity', { params: { query }, ...this.init() }));
    return problems.checked(data, activityPageSchema);
  }

  async read(): Promise<SiteStats> {
    const { data } = await problems.guard(this.api.GET('/stats', this.init()));
    return problems.checked(data, statsSchema);
  }

  /** Whether event-consumer answers its /healthz; for /readyz. */
  ping(): Promise<void> {
    return problems.ping(this.baseUrl, this.options.timeoutMs);
  }

  private init() {
    return { headers: { accept: 'application/json' }, signal: AbortSignal.timeout(this.options.timeoutMs) };
  }
}
