// `pnpm dev` as a person runs it: a real process, its real output, Ctrl-C at the end.
import { createServer, type AddressInfo } from 'node:net';
import { GetSessionRequest, Session } from '@testbed/protos/auth/v1/web';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { grpcWebCall } from './grpc-web-client.js';
import { startPnpmDev, type PnpmDev } from './pnpm-dev-process.js';
import { descendantsOf, survivors } from './process-tree.js';

const UP = /testbed is up in [\d.]+s: http:\/\/localhost:\d+/;
const START_TIMEOUT_MS = 90_000;
// Spans are exported every 500 ms and a trace is printed 1.5 s after its last span; this leaves room for a loaded machine.
const TRACE_LINE_TIMEOUT_MS = 20_000;
/** The summary line of a trace that starts at the gateway (its root span) and continues in `services`. */
const traceLine = (request: string, status: number, services: string) =>
  new RegExp(`traces +trace [0-9a-f]{8}… ${request.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')} ${status} · [\\d.]+ ms · \\d+ spans · gateway → ${services}\n`);

describe('pnpm dev, embedded mode', { timeout: 120_000 }, () => {
  let dev: PnpmDev;
  let baseUrl = '';

  beforeAll(async () => {
    dev = await startPnpmDev();
    await dev.waitForOutput(UP, START_TIMEOUT_MS);
    baseUrl = `http://127.0.0.1:${dev.gatewayPort}`;
  }, START_TIMEOUT_MS + 10_000);

  // Only does something if a test failed before the Ctrl-C test ran.
  afterAll(() => dev?.kill());

  it('when it is up, then it prints the one URL and the adapters in use', () => {
    expect(dev.output()).toContain(`http://localhost:${dev.gatewayPort}`);
    expect(dev.output()).toContain('adapters     MySQL in-memory, Redis in-memory, NATS in-memory');
    expect(dev.output()).toMatch(/traces {7}one line per request in this log .*OTEL_EXPORTER_OTLP_ENDPOINT/);
  });

  it('when the browser opens the URL, then it gets an HTML page', async () => {
    const response = await fetch(`${baseUrl}/`);
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toContain('text/html');
    expect(await response.text()).toMatch(/<html/i);
  });

  it('when a message is posted through the gateway, then the board lists it', async () => {
    const text = `smoke test ${Date.now()}`;
    const posted = await fetch(`${baseUrl}/api/public/messages`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ text, author: 'smoke' }),
    });
    expect(posted.status).toBe(201);
    const list = (await (await fetch(`${baseUrl}/api/public/messages`)).json()) as { items: { text: string }[] };
    expect(list.items.map((m) => m.text)).toContain(text);
  });

  it('when a request goes through the gateway, then one trace starts at the gateway and continues in the service, and its summary line is printed', async () => {
    const answer = await fetch(`${baseUrl}/api/public/messages?limit=1`);
    expect(answer.status).toBe(200);
    await dev.waitForOutput(traceLine('GET /api/public/messages', 200, 'public-api'), TRACE_LINE_TIMEOUT_MS);
  });

  it('when the client sends a traceparent, then the gateway continues that trace rather than starting one', async () => {
    const clientTrace = '0af7651916cd43dd8448eb211c80319c';
    const answer = await fetch(`${baseUrl}/api/public/messages?limit=2`, { headers: { traceparent: `00-${clientTrace}-b7ad6b7169203331-01` } });
    expect(answer.status).toBe(200);
    // The client's own span never reaches the receiver, so the trace is printed once it has been quiet for 5 s.
    await dev.waitForOutput(new RegExp(`trace ${clientTrace.slice(0, 8)}… GET /api/public/messages 200 · .* · gateway → public-api\n`), TRACE_LINE_TIMEOUT_MS);
  });

  it('when a user signs up with the emulator on this origin, then GetSession over grpc-web answers for that user', async () => {
    const signUp = await fetch(`${baseUrl}/identitytoolkit.googleapis.com/v1/accounts:signUp?key=demo-api-key`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ email: `smoke-${Date.now()}@example.test`, password: 'smoke-password-1', returnSecureToken: true }),
    });
    const { idToken, localId } = (await signUp.json()) as { idToken: string; localId: string };
    for (const text of [false, true]) {
      const result = await grpcWebCall(`${baseUrl}/auth.v1.AuthService/GetSession`, GetSessionRequest.encode({}).finish(), {
        text,
        headers: { authorization: `Bearer ${idToken}` },
      });
      expect(result.status).toBe(0);
      expect(Session.decode(result.messages[0] ?? new Uint8Array()).uid).toBe(localId);
    }
    // The grpc-web → gRPC hop (Node's http2 client, not auto-instrumented) carries the gateway's trace context too.
    await dev.waitForOutput(traceLine('POST /auth.v1.AuthService/GetSession', 200, 'auth-service'), TRACE_LINE_TIMEOUT_MS);
  });

  it('when Ctrl-C is pressed, then it stops cleanly and leaves no process behind', async () => {
    const children = descendantsOf(dev.child.pid ?? 0);
    // pnpm, its shell, tsx, the runner and three services at least.
    expect(children.length).toBeGreaterThanOrEqual(5);
    dev.ctrlC();
    await dev.exited;
    expect(dev.output()).toContain('dev             stopped');
    expect(await survivors(children)).toEqual([]);
  });
});

describe('pnpm dev, interrupted or blocked', { timeout: 120_000 }, () => {
  it('when Ctrl-C comes during start-up, then whatever had started is stopped too', async () => {
    const dev = await startPnpmDev();
    try {
      // The first service up: others are still starting.
      await dev.waitForOutput(/listening/, START_TIMEOUT_MS);
      const children = descendantsOf(dev.child.pid ?? 0);
      dev.ctrlC();
      await dev.exited;
      // Whether the rest finished starting first is a race; what matters is that nothing outlives it.
      expect(children.length).toBeGreaterThan(0);
      expect(await survivors(children)).toEqual([]);
    } finally {
      dev.kill();
    }
  });

  it('when the gateway port is taken, then it names the port and the variable that moves it, and exits 1 without starting anything', async () => {
    const holder = createServer();
    await new Promise<void>((resolve) => holder.listen(0, resolve));
    const port = (holder.address() as AddressInfo).port;
    const dev = await startPnpmDev({ GATEWAY_PORT: String(port) });
    try {
      expect(await dev.exited).not.toBe(0);
      expect(dev.output()).toContain(`${port} (dev gateway; move it with GATEWAY_PORT=<port>)`);
      expect(dev.output()).not.toContain('listening');
    } finally {
      dev.kill();
      holder.close();
    }
  });
});
