import { createHmac } from 'node:crypto';

const ZERO = '0000000000000000000000000000000000000000';

interface Commit {
  readonly id: string;
  readonly message: string;
}

/**
 * A GitHub `push` webhook payload shaped like the real one (the fields Tekton's interceptors
 * and our bindings read, plus the usual neighbours), for the trigger tests.
 * See https://docs.github.com/en/webhooks/webhook-events-and-payloads#push
 */
export function pushPayload(
  options: {
    ref?: string;
    before?: string;
    after?: string;
    commits?: readonly Commit[];
    deleted?: boolean;
    created?: boolean;
    headCommit?: Commit | null;
  } = {},
): Record<string, unknown> {
  const commits = options.commits ?? [{ id: 'a1b2c3d4e5f60718293a4b5c6d7e8f9012345678', message: 'public-api: page the feed by cursor' }];
  const after = options.after ?? (options.deleted ? ZERO : (commits.at(-1)?.id ?? 'a1b2c3d4e5f60718293a4b5c6d7e8f9012345678'));
  const toCommit = (commit: Commit) => ({
    id: commit.id,
    tree_id: 'f'.repeat(40),
    distinct: true,
    message: commit.message,
    timestamp: '2026-11-30T10:15:00+01:00',
    url: `https://github.com/example/testbed/commit/${commit.id}`,
    author: { name: 'Ada', email: 'ada@example.com', username: 'ada' },
    committer: { name: 'Ada', email: 'ada@example.com', username: 'ada' },
    added: [],
    removed: [],
    modified: ['services/public-api/src/http/routes/messages.ts'],
  });
  const headCommit = options.headCommit === undefined ? commits.at(-1) : options.headCommit;
  return {
    ref: options.ref ?? 'refs/heads/develop',
    before: options.before ?? '9f8e7d6c5b4a39281706f5e4d3c2b1a098765432',
    after,
    repository: {
      id: 123456789,
      name: 'testbed',
      full_name: 'example/testbed',
      private: false,
      clone_url: 'https://github.com/example/testbed.git',
      ssh_url: 'git@github.com:example/testbed.git',
      default_branch: 'main',
    },
    pusher: { name: 'ada', email: 'ada@example.com' },
    sender: { login: 'ada', id: 1, type: 'User' },
    created: options.created ?? false,
    deleted: options.deleted ?? false,
    forced: false,
    base_ref: null,
    compare: 'https://github.com/example/testbed/compare/9f8e7d6c5b4a...a1b2c3d4e5f6',
    commits: commits.map(toCommit),
    head_commit: headCommit ? toCommit(headCommit) : null,
  };
}

/** GitHub's `X-Hub-Signature-256` header for a raw body: `sha256=` + hex HMAC-SHA256 with the webhook secret. */
export function githubSignature(secret: string, body: string): string {
  return `sha256=${createHmac('sha256', secret).update(body).digest('hex')}`;
}
