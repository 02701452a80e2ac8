import type { SessionStateStore } from '../../domain/ports.js';
import { ISSUED_AT_TTL_S, SIGN_IN_TTL_S } from '../session-state-ttl.js';

interface Entry {
  readonly value: number;
  readonly expiresAtMs: number;
}

/** Newest value per user with one fixed TTL, so insertion order is also expiry order. */
class ExpiringMaxima {
  private readonly entries = new Map<string, Entry>();

  constructor(
    private readonly ttlS: number,
    private readonly nowMs: () => number,
  ) {}

  /** Stores max(previous, value) and returns the previous value (0 when none). */
  raise(uid: string, value: number): number {
    const now = this.nowMs();
    this.evictExpired(now);
    const previous = this.entries.get(uid)?.value ?? 0;
    // Delete first so the refreshed entry moves to the end and the order stays by expiry.
    this.entries.delete(uid);
    this.entries.set(uid, { value: Math.max(previous, value), expiresAtMs: now + this.ttlS * 1000 });
    return previous;
  }

  /** The value recorded for the user, 0 when none or expired. */
  peek(uid: string): number {
    this.evictExpired(this.nowMs());
    return this.entries.get(uid)?.value ?? 0;
  }

  private evictExpired(now: number): void {
    for (const [uid, entry] of this.entries) {
      if (entry.expiresAtMs > now) break;
      this.entries.delete(uid);
    }
  }
}

/**
 * Session state for a single replica without Redis. Node runs each method to completion without
 * interleaving, which gives the same atomicity the Redis script gives across replicas.
 */
export class MemorySessionStateStore implements SessionStateStore {
  private readonly issuedAt: ExpiringMaxima;
  private readonly signIns: ExpiringMaxima;

  constructor(nowMs: () => number = Date.now) {
    this.issuedAt = new ExpiringMaxima(ISSUED_AT_TTL_S, nowMs);
    this.signIns = new ExpiringMaxima(SIGN_IN_TTL_S, nowMs);
  }

  async recordIssuedAt(uid: string, issuedAt: number): Promise<number> {
    return Math.max(this.issuedAt.raise(uid, issuedAt), issuedAt);
  }

  async isSignInAnnounced(uid: string, authTime: number): Promise<boolean> {
    return authTime <= this.signIns.peek(uid);
  }

  async recordSignIn(uid: string, authTime: number): Promise<boolean> {
    return authTime > this.signIns.raise(uid, authTime);
  }
}
