import { describe, expect, it } from 'vitest';
import type { OpenApiDocument } from '../http/openapi.js';
import { OpenApiResponseChecker } from './openapi.js';

const document: OpenApiDocument = {
  openapi: '3.1.0',
  info: { title: 'test', version: '1' },
  paths: {
    '/items/{id}': {
      get: {
        operationId: 'getItem',
        summary: 'one item',
        responses: {
          '200': { description: 'ok', content: { 'application/json': { schema: { $ref: '#/components/schemas/Item' } } } },
          '204': { description: 'nothing' },
        },
      },
    },
  },
  components: {
    schemas: {
      Item: {
        type: 'object',
        required: ['id', 'at'],
        additionalProperties: false,
        properties: { id: { type: 'string' }, at: { type: 'string', format: 'date-time' } },
      },
    },
  },
};

describe('OpenApiResponseChecker', () => {
  const checker = new OpenApiResponseChecker(document);
  const check = (status: number, contentType: string, body: unknown) => checker.problemsOf('/items/{id}', 'get', status, contentType, body);

  it('when the body matches the referenced schema, including formats, then there is no problem', () => {
    expect(check(200, 'application/json', { id: 'a', at: '2026-01-01T00:00:00Z' })).toEqual([]);
    expect(check(204, '', undefined)).toEqual([]);
  });

  it('when status, content type or body disagree with the document, then each is reported', () => {
    expect(check(404, 'application/json', {})).toEqual(['GET /items/{id} 404 is not a documented status']);
    expect(check(200, 'text/plain', 'x')[0]).toMatch(/does not document content type "text\/plain"/);
    expect(check(200, 'application/json', { id: 'a', at: 'yesterday' })[0]).toMatch(/format "date-time"/);
    expect(check(200, 'application/json', { id: 'a', at: '2026-01-01T00:00:00Z', extra: 1 })[0]).toMatch(/additional/);
    expect(check(204, '', { unexpected: true })).toEqual(['GET /items/{id} 204 documents no body but one was sent']);
    expect(checker.problemsOf('/nope', 'get', 200, 'application/json', {})).toEqual(['GET /nope is not documented']);
  });
});
