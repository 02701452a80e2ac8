import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, readdirSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';

const protosDir = join(import.meta.dirname, '..');
const outDir = mkdtempSync(join(tmpdir(), 'protos-gen-'));

function listFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    return statSync(path).isDirectory() ? listFiles(path) : [path];
  });
}

afterAll(() => rmSync(outDir, { recursive: true, force: true }));

// Each test starts pnpm and buf as child processes: seconds on a busy machine, beyond Vitest's 5 s default.
describe('generated code', { timeout: 120_000 }, () => {
  it('when the .proto files change, then `pnpm proto:gen` must have been run (gen/ matches a fresh generation)', () => {
    execFileSync('pnpm', ['exec', 'buf', 'generate', '--output', outDir], { cwd: protosDir, stdio: 'pipe' });
    const committed = join(protosDir, 'gen');
    const fresh = join(outDir, 'gen');
    const committedFiles = listFiles(committed)
      .map((f) => relative(committed, f))
      .sort();
    const freshFiles = listFiles(fresh)
      .map((f) => relative(fresh, f))
      .sort();
    expect(committedFiles, 'generated file list differs: run `pnpm proto:gen`').toEqual(freshFiles);
    for (const file of freshFiles) {
      expect(readFileSync(join(committed, file), 'utf8'), `${file} is stale: run \`pnpm proto:gen\``).toBe(readFileSync(join(fresh, file), 'utf8'));
    }
  });

  it('when buf lint runs over protos/, then it reports nothing', () => {
    expect(() => execFileSync('pnpm', ['exec', 'buf', 'lint'], { cwd: protosDir, stdio: 'pipe' })).not.toThrow();
  });
});
