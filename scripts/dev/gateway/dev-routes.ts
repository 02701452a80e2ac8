// Routes only the dev gateway has. The Firebase Auth emulator is served under the page's own
// origin, so the SPA can use that origin as its emulator URL and its CSP stays same-origin; and
// /config.json tells the SPA to use it (production serves a config.json of its own).
import type { IncomingMessage, ServerResponse } from 'node:http';

export const EMULATOR_PREFIXES = ['/identitytoolkit.googleapis.com/', '/securetoken.googleapis.com/', '/emulator/'] as const;

export const DEV_FIREBASE_CONFIG = { apiKey: 'demo-api-key', authDomain: 'localhost', projectId: 'demo-testbed' } as const;

export function isEmulatorPath(path: string): boolean {
  return EMULATOR_PREFIXES.some((prefix) => path.startsWith(prefix));
}

/**
 * The runtime config the SPA fetches at start: the demo project, and the emulator at `/`, which
 * the SPA resolves against the page's own origin (frontend/src/config/runtime-config.ts). Nothing
 * in it comes from the request: a URL built from the Host header would let whoever chooses that
 * header (a DNS-rebinding page, a poisoned cache) choose where the SPA sends passwords.
 */
export function serveDevConfig(req: IncomingMessage, res: ServerResponse, requestId: string): void {
  const body = JSON.stringify({ firebase: DEV_FIREBASE_CONFIG, authEmulatorUrl: '/' });
  res.writeHead(200, {
    'content-type': 'application/json',
    'content-length': Buffer.byteLength(body),
    'cache-control': 'no-store',
    'x-request-id': requestId,
  });
  res.end(req.method === 'HEAD' ? undefined : body);
}
