// The offline validator shared by the team (../shared/schemas/validate: upstream CRD and Skaffold
// schemas, kubernetes-models) must find nothing wrong or unknown in the manifests and skaffold.yaml.
// It lives beside the repository in CI, not in it; without it these tests are skipped, visibly.
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { ALL_OVERLAYS, REPO_ROOT } from './render.js';

const candidates = [process.env['SCHEMAS_VALIDATE'], join(REPO_ROOT, '..', 'shared', 'schemas', 'validate'), '/work/shared/schemas/validate'];
const validator = candidates.find((c): c is string => c !== undefined && existsSync(c));

function validate(args: string[]): { summary: string; problems: string[]; checked: string[] } {
  const result = spawnSync(validator!, ['--fail-on-unknown', ...args], { cwd: REPO_ROOT, encoding: 'utf8', maxBuffer: 32 * 1024 * 1024 });
  const summary = /summary: .*/.exec(result.stderr)?.[0] ?? `no summary (exit ${result.status}): ${result.stderr}`;
  const lines = result.stdout.split('\n');
  return { summary, problems: lines.filter((line) => /^(FAIL|UNKNOWN)/.test(line)), checked: lines.filter((line) => line.startsWith('OK')) };
}

describe.skipIf(!validator)(`shared schema validator (${validator ?? `not found at ${candidates.slice(1).join(' or ')}: skipped`})`, () => {
  // One run for everything: the validator's start-up (loading every schema) dominates.
  let result: ReturnType<typeof validate>;
  beforeAll(() => {
    result = validate(['manifests', 'skaffold.yaml', ...ALL_OVERLAYS.flatMap((o) => ['--kustomize', `manifests/overlays/${o}`])]);
  }, 180_000);

  it('when run on manifests/, skaffold.yaml and every rendered overlay, then it reports 0 FAIL and 0 UNKNOWN', () => {
    expect(result.problems).toEqual([]);
    expect(result.summary).toMatch(/ 0 FAIL, 0 UNKNOWN/);
  });

  it.each(ALL_OVERLAYS)('when run on the rendered overlays/%s, then it validated its objects', (overlay) => {
    expect(result.checked.filter((line) => line.includes(`kustomize:manifests/overlays/${overlay}#`)).length).toBeGreaterThan(20);
  });
});
