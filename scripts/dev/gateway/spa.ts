// What `/` serves: the SPA from Vite in middleware mode (hot reload) while developing, the
// production build through an upstream such as nginx (what the browser tests use), or a page
// that explains what is missing while frontend/ is not there yet.
import { existsSync } from 'node:fs';
import type { IncomingMessage, Server, ServerResponse } from 'node:http';
import { join } from 'node:path';
import { createHttpProxy } from './http-proxy.js';

export type SpaSource = { readonly vite: string } | { readonly upstream: string } | 'placeholder';

export interface SpaHandler {
  readonly description: string;
  handle: (req: IncomingMessage, res: ServerResponse, requestId: string) => void;
  close(): Promise<void>;
}

export interface SpaTimeouts {
  readonly responseTimeoutMs: number;
  readonly idleTimeoutMs: number;
}

/** True when `frontendDir` holds a Vite app that middleware mode can serve. */
export function hasViteApp(frontendDir: string): boolean {
  return existsSync(join(frontendDir, 'index.html')) && existsSync(join(frontendDir, 'vite.config.ts'));
}

export async function createSpaHandler(source: SpaSource, server: Server, timeouts: SpaTimeouts): Promise<SpaHandler> {
  if (source === 'placeholder') return placeholder();
  if ('upstream' in source) {
    const url = new URL(source.upstream);
    const proxy = createHttpProxy({
      name: 'the SPA upstream',
      host: url.hostname,
      port: Number(url.port || 80),
      ...timeouts,
      maxRequestBodyBytes: 0,
    });
    return {
      description: `the production build from ${url.origin}`,
      handle: proxy.handle,
      close: async () => proxy.close(),
    };
  }
  return viteMiddleware(source.vite, server);
}

async function viteMiddleware(frontendDir: string, server: Server): Promise<SpaHandler> {
  // Loaded only when used: Vite is large and the browser tests never need it.
  const { createServer } = await import('vite');
  const vite = await createServer({
    root: frontendDir,
    configFile: join(frontendDir, 'vite.config.ts'),
    appType: 'spa',
    // HMR's websocket shares the gateway's port, so the page needs no second origin.
    server: { middlewareMode: true, hmr: { server } },
    logLevel: 'warn',
  });
  return {
    description: 'Vite (hot reload) from frontend/',
    handle: (req, res) =>
      vite.middlewares(req, res, () => {
        res.writeHead(404, { 'content-type': 'text/plain' }).end('not found');
      }),
    close: () => vite.close(),
  };
}

const PLACEHOLDER_HTML = `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>testbed</title></head>
<body style="font-family: system-ui, sans-serif; max-width: 40rem; margin: 4rem auto">
<h1>testbed is running</h1>
<p>The SPA is not here because <code>frontend/</code> has no <code>index.html</code> and <code>vite.config.ts</code> yet.
The APIs answer on this origin: <a href="/api/public/messages">/api/public/messages</a>,
<code>/api/secure/</code> and grpc-web calls to <code>/auth.v1.AuthService/</code>.</p>
</body></html>
`;

function placeholder(): SpaHandler {
  return {
    description: 'a placeholder page (frontend/ has no Vite app yet)',
    handle: (req, res, requestId) => {
      res.writeHead(200, { 'content-type': 'text/html; charset=utf-8', 'cache-control': 'no-store', 'x-request-id': requestId });
      res.end(req.method === 'HEAD' ? undefined : PLACEHOLDER_HTML);
    },
    close: async () => {},
  };
}
