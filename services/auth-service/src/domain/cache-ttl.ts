/** Longest time a verification is reused without asking Firebase again. */
export const MAX_CACHE_TTL_S = 300;

/**
 * Seconds a successful verification may be cached: never past the token's expiry, never longer
 * than MAX_CACHE_TTL_S. Zero means "do not cache".
 */
export function cacheTtlSeconds(expiresAt: number, now: number, maxTtlS = MAX_CACHE_TTL_S): number {
  return Math.max(0, Math.min(Math.floor(expiresAt - now), maxTtlS));
}
