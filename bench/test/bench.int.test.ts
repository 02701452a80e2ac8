import { existsSync, mkdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { REPO_ROOT } from '../src/paths.js';
import type { BenchRun } from '../src/results.js';
import { runBench } from '../src/run.js';

const RESULTS_DIR = join(REPO_ROOT, '.test-results', 'bench');
const SERVICES = ['auth-service', 'public-api', 'secure-api', 'event-consumer'];

describe('pnpm bench', () => {
  it('when run for one tiny round, then the list and the event pipeline are measured against the real stack and written as JSON', async () => {
    mkdirSync(RESULTS_DIR, { recursive: true });
    const built = SERVICES.every((service) => existsSync(join(REPO_ROOT, 'services', service, 'dist', 'main.js')));
    const { file } = await runBench(
      { rounds: 1, durationS: 0.5, connections: 2, warmupS: 0, burst: 20, only: ['public-get', 'events'], build: !built, writeDocs: false },
      { resultsDir: RESULTS_DIR, log: () => {} },
    );

    const run = JSON.parse(readFileSync(file, 'utf8')) as BenchRun;
    expect(run.scenarios.map((scenario) => scenario.id)).toEqual(['public-get', 'events']);
    const [list, events] = run.scenarios;
    const round = list?.rounds[0];
    expect(round?.product.requests).toBeGreaterThan(0);
    expect(round?.baseline?.requests).toBeGreaterThan(0);
    expect(round?.product.errors).toBe(0);
    // One SELECT per page, counted by MariaDB itself.
    expect(round?.product.sqlStatements).toBeGreaterThanOrEqual(round?.product.requests ?? Infinity);
    expect(events?.rounds[0]?.product).toMatchObject({ requests: 20, errors: 0 });
    expect(Object.keys(run.memory).sort()).toEqual(['auth-service', 'event-consumer', 'gateway', 'public-api', 'secure-api']);
    expect(run.memory['public-api']?.peakMiB).toBeGreaterThan(0);
  }, 600_000);
});
