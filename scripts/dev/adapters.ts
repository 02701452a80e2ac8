// Which data stores the services use: the in-memory adapters (nothing to install), or real
// MySQL / Redis / NATS when their URLs are given.

export const SERVER_URL_KEYS = ['MYSQL_URL', 'REDIS_URL', 'NATS_URL'] as const;
export type ServerUrls = Partial<Record<(typeof SERVER_URL_KEYS)[number], string>>;

/** 'memory' ignores any URLs; 'real' takes them from the environment (or .env); an object names them. */
export type AdapterChoice = 'memory' | 'real' | ServerUrls;

export function serverUrls(choice: AdapterChoice, env: NodeJS.ProcessEnv): ServerUrls {
  if (choice === 'memory') return {};
  const source: Record<string, string | undefined> = choice === 'real' ? env : choice;
  const urls: ServerUrls = {};
  for (const key of SERVER_URL_KEYS) {
    const value = source[key];
    if (value) urls[key] = value;
  }
  return urls;
}

/** The environment a service gets: every URL key present, empty when unused, so none leaks in from the shell. */
export function serverEnv(urls: ServerUrls): Record<string, string> {
  return Object.fromEntries(SERVER_URL_KEYS.map((key) => [key, urls[key] ?? '']));
}

/** e.g. "MySQL 127.0.0.1:3306, Redis in-memory, NATS in-memory" (no credentials). */
export function describeAdapters(urls: ServerUrls): string {
  const names = { MYSQL_URL: 'MySQL', REDIS_URL: 'Redis', NATS_URL: 'NATS' } as const;
  return SERVER_URL_KEYS.map((key) => {
    const url = urls[key];
    return `${names[key]} ${url ? hostOf(url) : 'in-memory'}`;
  }).join(', ');
}

function hostOf(url: string): string {
  try {
    // Comma-separated NATS server lists parse as one URL only by their first entry.
    return new URL(url.split(',')[0] ?? url).host;
  } catch {
    return '(unparseable URL)';
  }
}
