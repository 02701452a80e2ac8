export interface AuthChallenge {
  scheme: string;
  params: Record<string, string>;
}

const TOKEN = /^[!#$%&'*+\-.^_`|~0-9A-Za-z]+/;

/**
 * Parses a WWW-Authenticate header (RFC 9110 §11.6.1) into its challenges, e.g.
 * `Bearer realm="testbed", error="insufficient_user_authentication", max_age=300`.
 * Parameter names are lower-cased; quoted values are unescaped.
 */
export function parseWwwAuthenticate(header: string | null | undefined): AuthChallenge[] {
  const challenges: AuthChallenge[] = [];
  let rest = header ?? '';
  let current: AuthChallenge | undefined;

  const skip = (pattern: RegExp) => {
    rest = rest.replace(pattern, '');
  };

  while (rest.length > 0) {
    skip(/^[\s,]+/);
    const token = TOKEN.exec(rest)?.[0];
    if (!token) break;
    rest = rest.slice(token.length);
    skip(/^\s*/);
    if (rest.startsWith('=') && current) {
      rest = rest.slice(1);
      skip(/^\s*/);
      current.params[token.toLowerCase()] = readValue();
    } else {
      current = { scheme: token, params: {} };
      challenges.push(current);
    }
  }
  return challenges;

  function readValue(): string {
    if (!rest.startsWith('"')) {
      const value = TOKEN.exec(rest)?.[0] ?? '';
      rest = rest.slice(value.length);
      return value;
    }
    let value = '';
    let i = 1;
    for (; i < rest.length && rest[i] !== '"'; i++) {
      if (rest[i] === '\\' && i + 1 < rest.length) i++;
      value += rest[i];
    }
    rest = rest.slice(i + 1);
    return value;
  }
}

/** RFC 9470: the resource wants a more recent sign-in. Returns the challenge's max_age (seconds) when present. */
export function findStepUpChallenge(header: string | null | undefined): { maxAgeSeconds: number | undefined } | undefined {
  const challenge = parseWwwAuthenticate(header).find((c) => c.scheme.toLowerCase() === 'bearer' && c.params['error'] === 'insufficient_user_authentication');
  if (!challenge) return undefined;
  const maxAge = Number(challenge.params['max_age']);
  return { maxAgeSeconds: Number.isFinite(maxAge) ? maxAge : undefined };
}
