import { describe, expect, it } from 'vitest';
import { parseAuthorization } from './bearer-token.js';

describe('parseAuthorization', () => {
  it('when there is one bearer credential, then its token is read', () => {
    expect(parseAuthorization(['Bearer eyJ.a-b_c~d+e/f=='])).toEqual({ kind: 'bearer', token: 'eyJ.a-b_c~d+e/f==' });
    expect(parseAuthorization(['bearer   tok'])).toEqual({ kind: 'bearer', token: 'tok' });
  });

  it('when there is none, then it is missing', () => {
    expect(parseAuthorization([])).toEqual({ kind: 'missing' });
  });

  it.each(['Bearer', 'Bearer ', 'Token abc', 'Basic dXNlcjpwdw==', 'Bearer a b', 'Bearer {json}'])('when the value is %j, then it is malformed', (value) => {
    expect(parseAuthorization([value])).toEqual({ kind: 'malformed' });
  });

  it.each([[['Bearer a', 'Bearer b']], [['Bearer a', 'Bearer a']], [['Bearer a', 'Basic dXNlcjpwdw==']], [['Bearer a, Bearer b']], [['Bearer a,']]])(
    'when the values are %j (more than one credential), then it is several, never the first',
    (values) => {
      expect(parseAuthorization(values)).toEqual({ kind: 'several' });
    },
  );
});
