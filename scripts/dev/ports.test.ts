import { readFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { describe, expect, it } from 'vitest';
import { DEFAULT_PORTS, PORT_ENV, PortsInUseError, assertPortsFree, portsFromEnv } from './ports.js';

describe('ports', () => {
  it('when .env.example lists the ports a user can move, then every port variable is there with its default', () => {
    const example = readFileSync(new URL('../../.env.example', import.meta.url), 'utf8');
    for (const [key, name] of Object.entries(PORT_ENV))
      expect(example, name).toMatch(new RegExp(`^# ${name}=${DEFAULT_PORTS[key as keyof typeof PORT_ENV]}\\b`, 'm'));
  });

  it('when no variables are set, then the Kubernetes ports are used', () => {
    expect(portsFromEnv({})).toEqual(DEFAULT_PORTS);
  });

  it('when a variable moves a port, then only that port changes; a bad value is refused', () => {
    expect(portsFromEnv({ GATEWAY_PORT: '18080', PUBLIC_API_PORT: '' })).toEqual({ ...DEFAULT_PORTS, gateway: 18080 });
    expect(() => portsFromEnv({ GATEWAY_PORT: 'eighty' })).toThrow(/GATEWAY_PORT=eighty/);
  });

  it('when a port is taken, then the error names it, its owner and the variable that moves it', async () => {
    const holder = createServer();
    await new Promise<void>((resolve) => holder.listen(0, resolve));
    const port = (holder.address() as { port: number }).port;
    try {
      const failure = await assertPortsFree([{ port, owner: 'public-api', key: 'publicApi' }]).catch((e: unknown) => e);
      expect(failure).toBeInstanceOf(PortsInUseError);
      expect(String((failure as Error).message)).toContain(`${port} (public-api; move it with PUBLIC_API_PORT=<port>)`);
    } finally {
      holder.close();
    }
  });
});
