import type { CachedVerification, SessionStateStore, VerificationCache } from '../../domain/ports.js';
import type { VerifiedClaims } from '../../domain/session.js';

interface Entry {
  readonly claims: VerifiedClaims;
  readonly expiresAtMs: number;
}

/**
 * The cache for a single replica without Redis (local runs, tests), beside the replica's own
 * session state, which a hit reads and updates. Bounded so it cannot grow forever.
 */
export class MemoryVerificationCache implements VerificationCache {
  private readonly entries = new Map<string, Entry>();

  constructor(
    private readonly sessionState: SessionStateStore,
    private readonly maxEntries = 10_000,
    private readonly nowMs: () => number = Date.now,
  ) {}

  async lookup(tokenHash: string): Promise<CachedVerification | undefined> {
    const entry = this.entries.get(tokenHash);
    if (!entry) return undefined;
    if (entry.expiresAtMs <= this.nowMs()) {
      this.entries.delete(tokenHash);
      return undefined;
    }
    const { claims } = entry;
    return {
      claims,
      newestIssuedAt: await this.sessionState.recordIssuedAt(claims.uid, claims.issuedAt),
      signInAnnounced: await this.sessionState.isSignInAnnounced(claims.uid, claims.authTime),
    };
  }

  async set(tokenHash: string, claims: VerifiedClaims, ttlS: number): Promise<void> {
    if (ttlS <= 0) return;
    this.entries.delete(tokenHash);
    // Maps iterate in insertion order, so the first key is the oldest entry.
    while (this.entries.size >= this.maxEntries) {
      const oldest = this.entries.keys().next();
      if (oldest.done) break;
      this.entries.delete(oldest.value);
    }
    this.entries.set(tokenHash, { claims, expiresAtMs: this.nowMs() + ttlS * 1000 });
  }
}
