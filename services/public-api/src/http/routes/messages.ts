import { parseRequest } from '@testbed/service-kit';
import type { RequestHandler, Router } from 'express';
import { messageIdParams, postMessageBody, toMessageResponse } from '../../domain/message.dto.js';
import type { MessageStore } from '../../domain/message.store.js';
import { pageQuery, toPageResponse } from '../../domain/paging.dto.js';
import { getMessage } from '../../domain/get-message.js';
import { postMessage } from '../../domain/post-message.js';


export function mountMessageRoutes(router: Router, deps: { messages: MessageStore; writeLimit: RequestHandler }): void {
  router.get('/messages', async (req, res) => {
    const page = await deps.messages.list(parseRequest(pageQuery, req.query, 'query'));
    res.json(toPageResponse(page, toMessageResponse));
  });

  router.post('/messages', deps.writeLimit, async (req, res) => {
    // No body at all leaves req.body undefined; validate it as an empty object for a field-level answer.
    const body = parseRequest(postMessageBody, req.body ?? {}, 'body');
    const message = await postMessage(deps.messages, { text: body.text, author: { uid: null, displayName: body.author } });
    res.status(201).location(`${req.baseUrl}/messages/${message.id}`).json(toMessageResponse(message));
  });

  router.get('/messages/:id', async (req, res) => {
    const { id } = parseRequest(messageIdParams, req.params, 'params');
    res.json(toMessageResponse(await getMessage(deps.messages, id)));
  });
}
