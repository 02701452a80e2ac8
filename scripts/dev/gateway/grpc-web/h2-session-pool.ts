// One HTTP/2 connection per gRPC upstream, shared by every call, as gRPC intends: a new
// connection per call would add a handshake and defeat HTTP/2 multiplexing. A session that
// closes, errors or receives GOAWAY is forgotten, and the next call opens a fresh one.
import { connect, type ClientHttp2Session } from 'node:http2';

export class H2SessionPool {
  readonly #sessions = new Map<string, ClientHttp2Session>();
  #connects = 0;

  constructor(private readonly idleTimeoutMs: number) {}

  /** How many connections were opened so far; lets tests see that sessions are reused. */
  get connects(): number {
    return this.#connects;
  }

  /** The live session to `origin` (e.g. http://127.0.0.1:50051), connecting if there is none. */
  session(origin: string): ClientHttp2Session {
    const existing = this.#sessions.get(origin);
    if (existing && !existing.closed && !existing.destroyed) return existing;

    const session = connect(origin);
    this.#connects += 1;
    const forget = () => {
      if (this.#sessions.get(origin) === session) this.#sessions.delete(origin);
    };
    // Connection errors reach the calls through their streams; without this listener the
    // session's 'error' event would crash the gateway.
    session.on('error', forget);
    session.on('goaway', forget);
    session.on('close', forget);
    session.setTimeout(this.idleTimeoutMs, () => session.close());
    this.#sessions.set(origin, session);
    return session;
  }

  close(): void {
    for (const session of this.#sessions.values()) session.close();
    this.#sessions.clear();
  }
}
