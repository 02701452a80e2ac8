import { requestJson, withQuery } from './http.js';

export interface Message {
  id: string;
  text: string;
  author: { uid: string | null; displayName: string };
  createdAt: string;
}

export interface Page<T> {
  items: T[];
  nextCursor: string | null;
}

export interface ActivityItem {
  id: string;
  type: string;
  actorUid: string | null;
  summary: string;
  occurredAt: string | null;
}

export interface Stats {
  messages: number;
  users: number;
  signIns: number;
  updatedAt: string | null;
}

export interface NewMessage {
  text: string;
  author?: string;
}

export function listMessages(cursor?: string, limit = 20, signal?: AbortSignal): Promise<Page<Message>> {
  return requestJson<Page<Message>>(withQuery('/api/public/messages', { limit, cursor }), { signal }).then(normalisePage);
}

export function postPublicMessage(message: NewMessage): Promise<Message> {
  return requestJson<Message>('/api/public/messages', { method: 'POST', body: message });
}

export async function listActivity(cursor?: string, limit = 20, signal?: AbortSignal): Promise<Page<ActivityItem>> {
  const page = await requestJson<{ items?: unknown; nextCursor?: unknown }>(withQuery('/api/public/activity', { limit, cursor }), { signal });
  return normaliseActivityPage(page);
}

export async function getStats(signal?: AbortSignal): Promise<Stats> {
  const raw = await requestJson<Record<string, unknown>>('/api/public/stats', { signal });
  const count = (value: unknown) => (typeof value === 'number' && Number.isFinite(value) ? value : 0);
  return {
    messages: count(raw['messages']),
    users: count(raw['users']),
    signIns: count(raw['signIns']),
    updatedAt: typeof raw['updatedAt'] === 'string' ? raw['updatedAt'] : null,
  };
}

function normalisePage<T>(page: Page<T>): Page<T> {
  return { items: Array.isArray(page?.items) ? page.items : [], nextCursor: page?.nextCursor ?? null };
}

/** The feed is written by the event consumer and may grow fields; read it defensively. */
export function normaliseActivityPage(page: { items?: unknown; nextCursor?: unknown }): Page<ActivityItem> {
  const items = Array.isArray(page.items) ? page.items : [];
  return {
    items: items.flatMap((raw: unknown, index): ActivityItem[] => {
      if (typeof raw !== 'object' || raw === null) return [];
      const item = raw as Record<string, unknown>;
      const str = (value: unknown) => (typeof value === 'string' && value !== '' ? value : null);
      const type = str(item['type']) ?? 'event';
      const occurredAt = str(item['occurredAt']) ?? str(item['time']);
      return [
        {
          id: str(item['id']) ?? (typeof item['id'] === 'number' ? String(item['id']) : `${type}-${occurredAt ?? index}`),
          type,
          actorUid: str(item['actorUid']),
          summary: str(item['summary']) ?? type,
          occurredAt,
        },
      ];
    }),
    nextCursor: typeof page.nextCursor === 'string' && page.nextCursor !== '' ? page.nextCursor : null,
  };
}
