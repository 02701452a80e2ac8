import type { pageQuery } from '@testbed/contracts/http';
import { z } from 'zod';
import { decodeCursor, encodeCursor } from './cursor.js';
import type { Page, PageRequest } from './page.js';
import { parseRequest } from '../http/validate.js';

// The contracts' cursor is opaque to clients; the service that issued it decodes it here.
const cursor = z.string().transform((value, ctx) => {
  const position = decodeCursor(value);
  if (!position) {
    ctx.addIssue({ code: 'custom', message: 'is not a cursor this API returned' });
    return z.NEVER;
  }
  return position;
});

const cursorQuery = z.object({ cursor: cursor.optional() });

/**
 * The page a validated `?limit=&cursor=` (the contract's `pageQuery`) asks for; throws the same
 * 400 problem as any other query mismatch when the cursor is not one this API issued.
 */
export function toPageRequest(query: z.output<typeof pageQuery>): PageRequest {
  return { limit: query.limit, after: parseRequest(cursorQuery, { cursor: query.cursor }, 'query').cursor };
}

export interface PageResponse<T> {
  items: T[];
  nextCursor: string | null;
}

export const toPageResponse = <T, R>(page: Page<T>, toItem: (item: T) => R): PageResponse<R> => ({
  items: page.items.map(toItem),
  nextCursor: page.next ? encodeCursor(page.next) : null,
});
