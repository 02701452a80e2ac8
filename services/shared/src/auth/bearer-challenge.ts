/** The realm every challenge names, so a client can tell our 401s from a proxy's. */
export const REALM = 'testbed';

export interface BearerChallenge {
  /** RFC 6750 §3.1 / RFC 9470 §3 error code. */
  readonly error: 'invalid_request' | 'invalid_token' | 'insufficient_user_authentication';
  readonly description: string;
  /** RFC 9470: how recent, in seconds, the user's authentication must be. */
  readonly maxAge?: number;
}

// RFC 6750 §3 allows only these characters inside error_description; anything else is replaced
// rather than escaped, because clients parse these headers with simple regexes.
const sanitize = (text: string) => text.replace(/[^\x20\x21\x23-\x5b\x5d-\x7e]/g, ' ').slice(0, 200);

/** The `WWW-Authenticate` value for a Bearer challenge. */
export function formatBearerChallenge(challenge: BearerChallenge): string {
  const params = [`realm="${REALM}"`, `error="${challenge.error}"`, `error_description="${sanitize(challenge.description)}"`];
  if (challenge.maxAge !== undefined) params.push(`max_age=${challenge.maxAge}`);
  return `Bearer ${params.join(', ')}`;
}
