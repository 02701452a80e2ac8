import { Metadata } from '@grpc/grpc-js';
import { describe, expect, it } from 'vitest';
import { bearerFromMetadata } from './unary.js';

const metadata = (...values: string[]) => {
  const result = new Metadata();
  for (const value of values) result.add('authorization', value);
  return result;
};

describe('bearerFromMetadata', () => {
  it('when one bearer entry is sent, then its token is returned', () => {
    expect(bearerFromMetadata(metadata('Bearer abc.def-ghi'))).toBe('abc.def-ghi');
  });

  it.each([[[]], [['Basic dXNlcjpwdw==']], [['Bearer a b']]])('when the entries are %j, then there is no token', (values) => {
    expect(bearerFromMetadata(metadata(...values))).toBeUndefined();
  });

  it.each([
    ['two authorization entries', ['Bearer first', 'Bearer second']],
    ['two credentials joined into one entry by a proxy', ['Bearer first, Bearer second']],
  ])('when there are %s, then it is INVALID_ARGUMENT, not the first one', (_, values) => {
    expect(() => bearerFromMetadata(metadata(...values))).toThrow(expect.objectContaining({ kind: 'invalid-argument' }));
  });
});
