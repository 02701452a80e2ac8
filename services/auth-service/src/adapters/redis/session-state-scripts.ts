import type { Redis } from '@testbed/service-kit';

/**
 * Where the session state lives: `<prefix>iat:<uid>` (newest `iat`) and `<prefix>signin:<uid>`
 * (newest announced `auth_time`). The verification cache's script derives the same names.
 */
export const issuedAtKey = (prefix: string, uid: string) => `${prefix}iat:${uid}`;
export const signInKey = (prefix: string, uid: string) => `${prefix}signin:${uid}`;

// Stores max(current, ARGV[1]) with a fresh TTL and returns the previous value (0 when none).
// One script, so two replicas seeing two tokens at once cannot both win.
const RAISE_TO_MAX = `
local previous = tonumber(redis.call('GET', KEYS[1]) or '0')
local candidate = tonumber(ARGV[1])
if candidate > previous then
  redis.call('SET', KEYS[1], ARGV[1], 'EX', ARGV[2])
else
  redis.call('EXPIRE', KEYS[1], ARGV[2])
end
return previous
`;

// A cache hit and the user's session state in one step: KEYS[1] is the token's cache entry; on a
// hit its claims name the user, whose iat record is raised as RAISE_TO_MAX does (ARGV[2] is its
// TTL) and whose announced auth_time is read. Returns false on a miss, else
// {claims JSON, newest iat, announced auth_time or 0}. The user's keys are derived here from
// ARGV[1] (the prefix), as issuedAtKey/signInKey do: they cannot be known before the entry is read.
// That is fine on one Redis (what the service uses); Redis Cluster would want them declared.
const CACHED_VERIFICATION = `
local json = redis.call('GET', KEYS[1])
if not json then return false end
local claims = cjson.decode(json)
local iatKey = ARGV[1] .. 'iat:' .. claims.uid
local issuedAt = tonumber(claims.issuedAt)
local previous = tonumber(redis.call('GET', iatKey) or '0')
if issuedAt > previous then
  redis.call('SET', iatKey, string.format('%d', issuedAt), 'EX', ARGV[2])
  previous = issuedAt
else
  redis.call('EXPIRE', iatKey, ARGV[2])
end
local announced = tonumber(redis.call('GET', ARGV[1] .. 'signin:' .. claims.uid) or '0')
return {json, previous, announced}
`;

/** The client with this module's scripts; ioredis sends each by EVALSHA, loading it once on NOSCRIPT. */
export interface SessionScripts {
  raiseToMax(key: string, value: string, ttlS: string): Promise<number>;
  cachedVerification(tokenKey: string, prefix: string, issuedAtTtlS: string): Promise<[string, number, number] | null>;
}

/** Defines the scripts on `redis` (idempotent) and returns it typed with them. */
export function withSessionScripts(redis: Redis): Redis & SessionScripts {
  redis.defineCommand('raiseToMax', { numberOfKeys: 1, lua: RAISE_TO_MAX });
  redis.defineCommand('cachedVerification', { numberOfKeys: 1, lua: CACHED_VERIFICATION });
  return redis as Redis & SessionScripts;
}
