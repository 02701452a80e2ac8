import { createConnection, createServer, type Server, type Socket } from 'node:net';
import { freePort } from '../wait.js';

/**
 * A TCP proxy in front of a shared server (MariaDB), so a test can take "the database" away
 * without touching the real one. It listens on a fixed port, so a client that reconnects finds it
 * again, like a restarted server.
 */
export interface TcpProxy {
  readonly port: number;
  /** Passes bytes both ways (the initial mode). Connections cut or swallowed before are gone. */
  forward(): Promise<void>;
  /** Down: the port refuses connections and every open one is reset, like a stopped server. */
  refuse(): Promise<void>;
  /**
   * Hung: connections are accepted but nothing is ever answered, and open ones stop getting
   * answers, like a frozen (SIGSTOPped) server whose kernel still accepts connections.
   */
  swallow(): Promise<void>;
  close(): Promise<void>;
}

type Mode = 'forward' | 'swallow';

export async function tcpProxy(target: { host: string; port: number }): Promise<TcpProxy> {
  const port = await freePort();
  const sockets = new Set<Socket>();
  let mode: Mode = 'forward';
  let server: Server | undefined;

  const track = (socket: Socket) => {
    sockets.add(socket);
    socket.once('close', () => sockets.delete(socket));
    socket.on('error', () => socket.destroy());
  };

  const onConnection = (client: Socket) => {
    track(client);
    if (mode === 'swallow') {
      client.resume();
      return;
    }
    const upstream = createConnection(target);
    track(upstream);
    client.pipe(upstream);
    upstream.pipe(client);
    client.once('close', () => upstream.destroy());
    upstream.once('close', () => client.destroy());
  };

  const dropAll = () => {
    for (const socket of sockets) socket.destroy();
    sockets.clear();
  };

  const listen = async () => {
    if (server) return;
    const created = createServer(onConnection);
    await new Promise<void>((resolve, reject) => {
      created.once('error', reject);
      created.listen(port, '127.0.0.1', () => resolve());
    });
    server = created;
  };

  const stopListening = async () => {
    const running = server;
    server = undefined;
    if (running) await new Promise<void>((resolve) => running.close(() => resolve()));
  };

  await listen();
  return {
    port,
    forward: async () => {
      if (mode === 'swallow') dropAll();
      mode = 'forward';
      await listen();
    },
    refuse: async () => {
      const closed = stopListening();
      dropAll();
      await closed;
    },
    swallow: async () => {
      mode = 'swallow';
      for (const socket of sockets) {
        // Nothing flows any more, either way; the sockets stay open.
        socket.unpipe();
        socket.on('data', () => undefined);
        socket.resume();
      }
      await listen();
    },
    close: async () => {
      const closed = stopListening();
      dropAll();
      await closed;
    },
  };
}
