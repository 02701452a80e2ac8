import { toPageRequest, toPageResponse, type OperationHandler } from '@testbed/service-kit';
import type { publicApiOperations } from '@testbed/contracts/http';
import type { RequestHandler } from 'express';
import { toMessageResponse } from '../../domain/message.dto.js';
import type { MessageStore } from '../../domain/message.store.js';
import { getMessage } from '../../domain/get-message.js';
import { postMessage } from '../../domain/post-message.js';

type Operations = typeof publicApiOperations;

/** listMessages, postMessage and getMessage of the public API's operation table. */
export function messageHandlers(deps: { messages: MessageStore; writeLimit: RequestHandler }): {
  [K in 'listMessages' | 'postMessage' | 'getMessage']: OperationHandler<Operations[K]>;
} {
  return {
    listMessages: async ({ query }, _req, res) => {
      const page = await deps.messages.list(toPageRequest(query));
      res.json(toPageResponse(page, toMessageResponse));
    },
    postMessage: {
      // Every attempt counts against the client's budget, a rejected body included.
      before: [deps.writeLimit],
      handle: async ({ body }, req, res) => {
        const message = await postMessage(deps.messages, { text: body.text, author: { uid: null, displayName: body.author } });
        res.status(201).location(`${req.baseUrl}/messages/${message.id}`).json(toMessageResponse(message));
      },
    },
    getMessage: async ({ params }, _req, res) => {
      res.json(toMessageResponse(await getMessage(deps.messages, params.id)));
    },
  };
}
