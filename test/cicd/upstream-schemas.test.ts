// The delivery objects against upstream schemas (Tekton, Triggers, Argo CD CRDs and the built-in
// kinds), with the shared offline validator when the checkout has it beside it, as CI does.
import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';

const validator = path.resolve('../shared/schemas/validate');
const available = existsSync(validator);

describe.skipIf(!available)(
  `the delivery manifests against upstream schemas (${available ? validator : 'validator absent: ../shared/schemas/validate'})`,
  () => {
    it.each(['.tekton', 'manifests/argocd'])(
      'when %s is validated, then every document is OK: 0 FAIL, 0 UNKNOWN',
      (dir) => {
        let output: string;
        try {
          output = execFileSync(validator, ['--fail-on-unknown', dir], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
        } catch (error) {
          const failure = error as { stdout: string; stderr: string };
          throw new Error(`${failure.stdout}\n${failure.stderr}`, { cause: error });
        }
        expect(output).toMatch(/^OK /m);
        expect(output).not.toMatch(/^(FAIL|UNKNOWN) /m);
      },
      120_000,
    );
  },
);
