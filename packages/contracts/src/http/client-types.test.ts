import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { generateClientTypes } from './client-types.js';

describe('generated client types', () => {
  it('when the types are generated from the current schemas, then they equal the committed files (else run pnpm openapi:gen)', async () => {
    const generated = await generateClientTypes();
    expect(Object.keys(generated).length).toBeGreaterThan(0);
    for (const [file, source] of Object.entries(generated)) {
      const committed = await readFile(join(import.meta.dirname, file), 'utf8').catch(() => '(missing)');
      expect(committed, `${file} is stale: run pnpm openapi:gen`).toBe(source);
    }
  }, 60_000);
});
