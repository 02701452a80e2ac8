import type { Redis } from '@testbed/service-kit';
import { statsKeys } from '@testbed/service-kit/events';
import type { StatsChange, StatsStore } from '../../domain/stats.js';

// updated_at holds UTC ISO strings of one fixed shape, so comparing them as strings compares times.
// Marks the event applied and changes the counters in one atomic step: a redelivery finds the
// marker and changes nothing, and a crash can never leave the marker without the counts.
const APPLY_ONCE = `
if not redis.call('SET', KEYS[1], '1', 'NX', 'EX', ARGV[1]) then return 0 end
if ARGV[2] ~= '0' then redis.call('INCRBY', KEYS[2], ARGV[2]) end
if ARGV[3] ~= '0' then redis.call('INCRBY', KEYS[3], ARGV[3]) end
if ARGV[4] ~= '' then redis.call('SADD', KEYS[4], ARGV[4]) end
local newest = redis.call('GET', KEYS[5])
if not newest or newest < ARGV[5] then redis.call('SET', KEYS[5], ARGV[5]) end
return 1
`;

export class RedisStatsStore implements StatsStore {
  private readonly keys: ReturnType<typeof statsKeys>;

  constructor(
    private readonly redis: Redis,
    private readonly options: { prefix: string; consumer: string; appliedTtlS: number },
  ) {
    this.keys = statsKeys(options.prefix);
  }

  async apply(eventId: string, change: StatsChange, eventTime: string): Promise<boolean> {
    const applied = await this.redis.eval(
      APPLY_ONCE,
      5,
      this.keys.applied(this.options.consumer, eventId),
      this.keys.messages,
      this.keys.signIns,
      this.keys.users,
      this.keys.updatedAt,
      String(this.options.appliedTtlS),
      String(change.messages),
      String(change.signIns),
      change.userUid ?? '',
      new Date(eventTime).toISOString(),
    );
    return applied === 1;
  }
}
