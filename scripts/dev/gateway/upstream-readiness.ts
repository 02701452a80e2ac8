// Whether an upstream may get traffic yet. `pnpm dev` opens the gateway at once (Vite's start
// overlaps with the services'), so a route must wait for its upstream: until it has answered a
// probe once, the gateway answers 503 + Retry-After for that route instead of forwarding, the way
// Kubernetes keeps a pod out of its Service until its readiness probe passes.
import { connect } from 'node:net';

/** Resolves true when the upstream is ready; must not throw and should give up within about a second. */
export type ReadinessProbe = () => Promise<boolean>;

export class UpstreamReadiness {
  #ready = false;
  #probing: Promise<boolean> | undefined;

  constructor(private readonly probe: ReadinessProbe) {}

  /**
   * True once the upstream has been ready. Until then every call probes (concurrent calls share
   * one probe), so the first request after the upstream comes up is already let through. Once
   * ready it stays ready: later failures are the proxy's to report (503 on a refused connection).
   */
  async isReady(): Promise<boolean> {
    if (this.#ready) return true;
    this.#probing ??= this.probe()
      .catch(() => false)
      .then((ready) => {
        this.#probing = undefined;
        if (ready) this.#ready = true;
        return ready;
      });
    return this.#probing;
  }
}

/** Ready when something accepts a TCP connection on host:port (a server that listens only once started). */
export function tcpProbe(host: string, port: number, timeoutMs = 1_000): ReadinessProbe {
  return () =>
    new Promise<boolean>((resolve) => {
      const socket = connect({ host, port });
      const done = (ready: boolean) => {
        socket.destroy();
        resolve(ready);
      };
      socket.setTimeout(timeoutMs, () => done(false));
      socket.once('connect', () => done(true));
      socket.once('error', () => done(false));
    });
}
