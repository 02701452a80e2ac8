/** Where a newest-first page starts: strictly older than this (createdAt, id) pair. */
export interface PagePosition {
  readonly createdAt: Date;
  readonly id: string;
}

export interface PageRequest {
  readonly limit: number;
  readonly after?: PagePosition | undefined;
}

export interface Page<T> {
  readonly items: readonly T[];
  /** The position of the last item when there may be more, else null. */
  readonly next: PagePosition | null;
}

/**
 * Builds a page from `limit + 1` rows fetched newest first: the extra row only tells whether
 * another page exists, so the last page never ends with an empty follow-up request.
 */
export function pageFromRows<T>(rows: readonly T[], limit: number, position: (item: T) => PagePosition): Page<T> {
  const items = rows.slice(0, limit);
  const last = items.at(-1);
  return { items, next: rows.length > limit && last !== undefined ? position(last) : null };
}

/**
 * Orders ids the way the database does: UUIDs all have one length, so this is plain string order;
 * decimal BIGINT ids without leading zeros order by length first, which is numeric order.
 */
function compareIds(a: string, b: string): number {
  if (a.length !== b.length) return a.length - b.length;
  return a < b ? -1 : a > b ? 1 : 0;
}

/** Newest first: later createdAt first, ties broken by the larger id, so the order is total. */
export function compareNewestFirst(a: PagePosition, b: PagePosition): number {
  const byTime = b.createdAt.getTime() - a.createdAt.getTime();
  return byTime !== 0 ? byTime : compareIds(b.id, a.id);
}

export const isOlderThan = (item: PagePosition, after: PagePosition): boolean => compareNewestFirst(after, item) < 0;
