import type { PagePosition } from './page.js';

// `<epoch ms>.<id>`; ids are UUIDs or decimal numbers, so a small alphabet is enough.
const CURSOR_BODY = /^(\d{1,15})\.([0-9A-Za-z-]{1,64})$/;

/** Opaque to clients: they only hand back what a previous page gave them. */
export function encodeCursor(position: PagePosition): string {
  return Buffer.from(`${position.createdAt.getTime()}.${position.id}`, 'utf8').toString('base64url');
}

/** The position a cursor names, or undefined when it is not one this service made. */
export function decodeCursor(cursor: string): PagePosition | undefined {
  if (!/^[A-Za-z0-9_-]{1,200}$/.test(cursor)) return undefined;
  const match = CURSOR_BODY.exec(Buffer.from(cursor, 'base64url').toString('utf8'));
  if (!match?.[1] || !match[2]) return undefined;
  const createdAt = new Date(Number(match[1]));
  if (Number.isNaN(createdAt.getTime())) return undefined;
  return { createdAt, id: match[2] };
}
