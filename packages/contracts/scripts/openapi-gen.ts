import { mkdir, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { generateClientTypes } from '../src/http/client-types.js';

// `pnpm openapi:gen`: rewrites src/http/generated/ from the zod operation tables.
const httpDir = join(dirname(fileURLToPath(import.meta.url)), '../src/http');
for (const [file, source] of Object.entries(await generateClientTypes())) {
  const path = join(httpDir, file);
  await mkdir(dirname(path), { recursive: true });
  await writeFile(path, source);
  process.stdout.write(`wrote ${path}\n`);
}
