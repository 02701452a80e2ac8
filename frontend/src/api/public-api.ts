import type { PublicApiComponents, PublicApiPaths } from '@testbed/contracts/http/types';
import createClient from 'openapi-fetch';
import { dataOf, problemMiddleware } from './http.js';

type Schemas = PublicApiComponents['schemas'];
export type Message = Schemas['Message'];
export type MessagePage = Schemas['MessagePage'];
export type ActivityItem = Schemas['Activity'];
export type ActivityPage = Schemas['ActivityPage'];
export type Stats = Schemas['Stats'];
export type NewMessage = Schemas['NewMessage'];

/** The public REST API, typed by its generated OpenAPI document. */
const client = createClient<PublicApiPaths>({ baseUrl: '/api/public' });
client.use(problemMiddleware);

export async function listMessages(cursor?: string, limit = 20, signal?: AbortSignal): Promise<MessagePage> {
  return dataOf(await client.GET('/messages', { params: { query: { limit, cursor } }, signal }));
}

export async function postPublicMessage(message: NewMessage): Promise<Message> {
  return dataOf(await client.POST('/messages', { body: message }));
}

export async function listActivity(cursor?: string, limit = 20, signal?: AbortSignal): Promise<ActivityPage> {
  return dataOf(await client.GET('/activity', { params: { query: { limit, cursor } }, signal }));
}

export async function getStats(signal?: AbortSignal): Promise<Stats> {
  return dataOf(await client.GET('/stats', { signal }));
}
