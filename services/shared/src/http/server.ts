import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Express } from 'express';

export interface RunningHttpServer {
  readonly server: Server;
  readonly port: number;
  /** Stops accepting connections, lets in-flight requests finish, then drops idle keep-alives. */
  close(): Promise<void>;
}

/** Listens on `host` (a service passes its HOST) and `port` (0 picks a free one). */
export async function listenHttp(app: Express, port: number, host = '0.0.0.0'): Promise<RunningHttpServer> {
  const server = createServer(app);
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
        server.close((error) => (error ? reject(error) : resolve()));
        server.closeIdleConnections();
      }),
  };
}
