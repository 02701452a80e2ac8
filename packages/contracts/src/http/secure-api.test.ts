import { describe, expect, it } from 'vitest';
import { MESSAGE_TEXT_MAX } from '@testbed/text';
import { newMyMessageSchema, profileChangesSchema, secureApiDocument } from './secure-api.js';

const parse = (body: unknown) => profileChangesSchema.safeParse(body);

describe('profileChangesSchema', () => {
  it('when displayName and bio are within limits, then it accepts them and trims the name', () => {
    expect(parse({ displayName: '  Ada  ', bio: 'Hi' })).toEqual({
      success: true,
      data: { displayName: 'Ada', bio: 'Hi' },
    });
  });

  it('when the lengths are exactly at the limits, then it accepts them', () => {
    expect(parse({ displayName: 'x'.repeat(50), bio: 'y'.repeat(280) }).success).toBe(true);
    expect(parse({ displayName: 'x', bio: '' }).success).toBe(true);
  });

  it('when the lengths are astral characters exactly at the limits, then it accepts them (code points, not UTF-16 units)', () => {
    const body = { displayName: '🎉'.repeat(50), bio: `${'y'.repeat(279)}🎉` };
    expect(parse(body)).toEqual({ success: true, data: body });
    expect(parse({ displayName: 'x', bio: '🎉'.repeat(280) }).success).toBe(true);
  });

  it.each([
    ['displayName has 51 astral characters', { displayName: '🎉'.repeat(51), bio: '' }],
    ['bio has 281 code points ending in an astral character', { displayName: 'Ada', bio: `${'y'.repeat(280)}🎉` }],
  ])('when %s, then it rejects the body', (_case, body) => {
    expect(parse(body).success).toBe(false);
  });

  it.each([
    ['displayName is empty', { displayName: '', bio: '' }],
    ['displayName is only spaces', { displayName: '   ', bio: '' }],
    ['displayName has 51 characters', { displayName: 'x'.repeat(51), bio: '' }],
    ['bio has 281 characters', { displayName: 'Ada', bio: 'y'.repeat(281) }],
    ['displayName is a number', { displayName: 42, bio: '' }],
    ['bio is null', { displayName: 'Ada', bio: null }],
    ['displayName is missing', { bio: '' }],
    ['bio is missing', { displayName: 'Ada' }],
    ['an unknown field is present', { displayName: 'Ada', bio: '', admin: true }],
    ['the body is an array', [{ displayName: 'Ada', bio: '' }]],
    ['the body is absent', undefined],
  ])('when %s, then it rejects the body', (_case, body) => {
    expect(parse(body).success).toBe(false);
  });
});

describe('newMyMessageSchema', () => {
  it('when the text is astral characters exactly at the limit, then it is accepted (code points, not UTF-16 units)', () => {
    for (const text of ['🎉'.repeat(MESSAGE_TEXT_MAX), `${'a'.repeat(MESSAGE_TEXT_MAX - 1)}🎉`]) {
      expect(newMyMessageSchema.safeParse({ text })).toEqual({ success: true, data: { text } });
    }
  });

  it('when the text is one code point over the limit, then it is rejected', () => {
    expect(newMyMessageSchema.safeParse({ text: '🎉'.repeat(MESSAGE_TEXT_MAX + 1) }).success).toBe(false);
    expect(newMyMessageSchema.safeParse({ text: `${'a'.repeat(MESSAGE_TEXT_MAX)}🎉` }).success).toBe(false);
  });
});

describe('secure API document: security', () => {
  const operations = Object.values(secureApiDocument.paths ?? {}).flatMap((item) =>
    (['get', 'put', 'post', 'delete', 'patch'] as const).flatMap((method) => (item[method] ? [item[method]] : [])),
  );

  it('when a client reads the document, then it declares the bearer ID-token scheme (RFC 6750)', () => {
    expect(secureApiDocument.components?.securitySchemes).toEqual({
      firebaseIdToken: expect.objectContaining({ type: 'http', scheme: 'bearer', bearerFormat: 'JWT' }),
    });
  });

  it('when an operation answers 401, then it requires the ID token, and only the document itself is served without one', () => {
    for (const operation of operations) {
      const needsToken = Object.hasOwn(operation.responses ?? {}, '401');
      expect(operation.security, operation.operationId).toEqual(needsToken ? [{ firebaseIdToken: [] }] : undefined);
    }
    expect(operations.filter((operation) => !operation.security).map((operation) => operation.operationId)).toEqual(['getOpenApiDocument']);
  });
});

describe('profile text is plain text', () => {
  it.each([
    ['a lone surrogate in the name', { displayName: 'Ada \udfff', bio: '' }, 'displayName'],
    ['a line break in the name', { displayName: 'Ada\nLovelace', bio: '' }, 'displayName'],
    ['NUL in the bio', { displayName: 'Ada', bio: 'x\u0000' }, 'bio'],
  ])('when the profile has %s, then it is refused for that field', (_case, body, field) => {
    const result = parse(body);
    expect(result.error?.issues.map((issue) => issue.path.join('.'))).toEqual([field]);
  });

  it('when the bio has several lines, then it is accepted', () => {
    expect(parse({ displayName: 'Ada', bio: 'Countess.\nAnalyst.' }).success).toBe(true);
  });
});
