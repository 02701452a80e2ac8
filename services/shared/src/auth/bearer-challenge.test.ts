import { describe, expect, it } from 'vitest';
import { formatBearerChallenge } from './bearer-challenge.js';

describe('formatBearerChallenge', () => {
  it('when the token is invalid, then the challenge names the realm, the error and a description', () => {
    expect(formatBearerChallenge({ error: 'invalid_token', description: 'token expired' })).toBe(
      'Bearer realm="testbed", error="invalid_token", error_description="token expired"',
    );
  });

  it('when a recent sign-in is required, then the challenge is the RFC 9470 step-up with max_age', () => {
    expect(
      formatBearerChallenge({
        error: 'insufficient_user_authentication',
        description: 'A recent sign-in is required',
        maxAge: 300,
      }),
    ).toBe('Bearer realm="testbed", error="insufficient_user_authentication", error_description="A recent sign-in is required", max_age=300');
  });

  it('when the description holds quotes, backslashes or control characters, then they cannot break the header', () => {
    const header = formatBearerChallenge({ error: 'invalid_token', description: 'bad "kid"\\\r\nX-Evil: 1' });
    expect(header).toBe('Bearer realm="testbed", error="invalid_token", error_description="bad  kid    X-Evil: 1"');
  });
});
