import { describe, expect, it } from 'vitest';
import { findStepUpChallenge, parseWwwAuthenticate } from './www-authenticate.js';

describe('parseWwwAuthenticate', () => {
  it('when the secure-api step-up challenge is parsed, then scheme and every parameter come out unquoted', () => {
    const header = 'Bearer realm="testbed", error="insufficient_user_authentication", error_description="A more recent sign-in is required", max_age=300';
    expect(parseWwwAuthenticate(header)).toEqual([
      {
        scheme: 'Bearer',
        params: {
          realm: 'testbed',
          error: 'insufficient_user_authentication',
          error_description: 'A more recent sign-in is required',
          max_age: '300',
        },
      },
    ]);
  });

  it('when several challenges share one header, then each gets its own parameters', () => {
    const challenges = parseWwwAuthenticate('Basic realm="a, b", Bearer error="invalid_token"');
    expect(challenges).toEqual([
      { scheme: 'Basic', params: { realm: 'a, b' } },
      { scheme: 'Bearer', params: { error: 'invalid_token' } },
    ]);
  });

  it('when quoted values contain escaped quotes and parameter names vary in case, then they are unescaped and lower-cased', () => {
    expect(parseWwwAuthenticate('bearer ERROR="x", error_description="say \\"hi\\""')).toEqual([
      { scheme: 'bearer', params: { error: 'x', error_description: 'say "hi"' } },
    ]);
  });

  it('when the header is missing or empty, then there are no challenges', () => {
    expect(parseWwwAuthenticate(null)).toEqual([]);
    expect(parseWwwAuthenticate('')).toEqual([]);
  });
});

describe('findStepUpChallenge', () => {
  it('when a Bearer challenge says insufficient_user_authentication, then it is found with its max_age', () => {
    expect(findStepUpChallenge('Bearer error="insufficient_user_authentication", max_age=300')).toEqual({ maxAgeSeconds: 300 });
  });

  it('when max_age is absent, then the challenge is still found', () => {
    expect(findStepUpChallenge('Bearer error="insufficient_user_authentication"')).toEqual({ maxAgeSeconds: undefined });
  });

  it('when the token is merely invalid, then it is not a step-up challenge', () => {
    expect(findStepUpChallenge('Bearer error="invalid_token"')).toBeUndefined();
    expect(findStepUpChallenge('Basic error="insufficient_user_authentication"')).toBeUndefined();
    expect(findStepUpChallenge(null)).toBeUndefined();
  });
});
