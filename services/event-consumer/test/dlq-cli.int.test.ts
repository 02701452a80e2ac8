import { fileURLToPath } from 'node:url';
import { freePort, spawnCapturingOutput } from '@testbed/service-kit/testing';
import { describe, expect, it } from 'vitest';

const packageDir = fileURLToPath(new URL('..', import.meta.url));

describe('dlq CLI', () => {
  it('when NATS is unreachable, then `dlq list` exits 1 saying so, instead of waiting or reporting no dead letters', async () => {
    const natsUrl = `nats://127.0.0.1:${await freePort()}`;
    const cli = spawnCapturingOutput(process.execPath, ['--conditions=@testbed/source', '--import', 'tsx', 'src/cli/dlq.ts', 'list'], {
      cwd: packageDir,
      env: { ...process.env, NATS_URL: natsUrl },
    });
    // A CLI that waits forever is the defect; give up on it well inside the test's own timeout.
    const killer = setTimeout(() => cli.child.kill('SIGKILL'), 20_000);
    const code = await cli.exited;
    clearTimeout(killer);
    expect(code, cli.output()).toBe(1);
    expect(cli.output()).toContain(`cannot reach NATS at ${natsUrl}`);
    expect(cli.output()).not.toContain('no dead letters');
  });
});
