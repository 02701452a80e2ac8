import { z } from 'zod';
import { decodeCursor, encodeCursor } from './cursor.js';
import { PAGE_LIMIT_DEFAULT, PAGE_LIMIT_MAX, type Page, type PageRequest } from './page.js';

// Query values arrive as strings; only plain decimal digits count as a number ("1e1", " 5" do not).
const limit = z
  .string()
  .regex(/^\d{1,3}$/, `must be a whole number from 1 to ${PAGE_LIMIT_MAX}`)
  .transform(Number)
  .pipe(z.number().int().min(1).max(PAGE_LIMIT_MAX))
  .default(PAGE_LIMIT_DEFAULT);

const cursor = z.string().transform((value, ctx) => {
  const position = decodeCursor(value);
  if (!position) {
    ctx.addIssue({ code: 'custom', message: 'is not a cursor this API returned' });
    return z.NEVER;
  }
  return position;
});

/** The paging fields, for lists whose query has more parameters than these. */
export const pageQueryFields = { limit, cursor: cursor.optional() };

export const toPageRequest = ({ limit, cursor }: { limit: number; cursor?: PageRequest['after'] }): PageRequest => ({
  limit,
  after: cursor,
});

/** `?limit=&cursor=` of every newest-first list. Unknown parameters are a mistake worth reporting. */
export const pageQuery = z.strictObject(pageQueryFields).transform(toPageRequest);

export interface PageResponse<T> {
  items: T[];
  nextCursor: string | null;
}

export const toPageResponse = <T, R>(page: Page<T>, toItem: (item: T) => R): PageResponse<R> => ({
  items: page.items.map(toItem),
  nextCursor: page.next ? encodeCursor(page.next) : null,
});
