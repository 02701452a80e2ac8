import { createServer, type IncomingMessage, type ServerResponse, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Express } from 'express';
import { answerClientError, refuseMissingHost } from './client-error.js';

export interface RunningHttpServer {
  readonly server: Server;
  readonly port: number;
  /**
   * Stops accepting connections and drains the open ones without cutting a request: idle keep-alive
   * connections are closed at once, and a busy one answers its current request with
   * `Connection: close` and is closed after it. Resolves when every connection is gone.
   */
  close(): Promise<void>;
}

/** Listens on `host` (a service passes its HOST) and `port` (0 picks a free one). */
export async function listenHttp(app: Express, port: number, host = '0.0.0.0'): Promise<RunningHttpServer> {
  let closing = false;
  const inFlight = new Set<ServerResponse>();
  const handle = (req: IncomingMessage, res: ServerResponse) => {
    inFlight.add(res);
    res.once('close', () => {
      inFlight.delete(res);
      // The socket this response leaves idle would otherwise stay open for keepAliveTimeout.
      if (closing) setImmediate(() => server.closeIdleConnections());
    });
    if (closing) res.setHeader('Connection', 'close');
    if (refuseMissingHost(req, res)) return;
    app(req, res);
  };
  // Host is checked in `handle`, so that refusal is a problem+json like every other one.
  const server = createServer({ requireHostHeader: false }, handle);
  // An Expect other than 100-continue: Node's default is a bare 417 with no body. RFC 9110 §10.1.1
  // lets a server ignore it, so the request is handled as if it had none (found by the fuzz suite).
  server.on('checkExpectation', handle);
  // What Node's parser refuses gets a problem+json like every other error, not a bare 400.
  server.on('clientError', answerClientError);
  // Keep-alive must outlive the load balancer's idle timeout, or it races us and gets resets.
  server.keepAliveTimeout = 65_000;
  server.headersTimeout = 66_000;
  server.requestTimeout = 30_000;
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => {
      server.off('error', reject);
      resolve();
    });
  });
  return {
    server,
    port: (server.address() as AddressInfo).port,
    close: () =>
      new Promise<void>((resolve, reject) => {
        closing = true;
        // Node sends `Connection: close` and ends the socket after a response that carries it; one
        // whose headers are already on the wire is closed as idle when it finishes (above).
        for (const res of inFlight) if (!res.headersSent) res.setHeader('Connection', 'close');
        server.close((error) => (error ? reject(error) : resolve()));
        server.closeIdleConnections();
      }),
  };
}
