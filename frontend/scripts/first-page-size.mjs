#!/usr/bin/env node
// Gzipped JavaScript the browser loads for the first page (`/`, the message board) of a
// production build: the entry chunk, its static imports, and the board route's chunk with its
// static imports. Gzip level 6, as nginx serves it. Usage: node scripts/first-page-size.mjs [dist]
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';

const dist = process.argv[2] ?? join(import.meta.dirname, '..', 'dist');
const assets = join(dist, 'assets');
const html = readFileSync(join(dist, 'index.html'), 'utf8');
const entry = /<script type="module"[^>]*src="\/assets\/([^"]+\.js)"/.exec(html)?.[1];
if (!entry) throw new Error(`no entry script in ${dist}/index.html`);

// Static imports only: `import("./x.js")` (lazy routes) has a parenthesis and does not match.
const STATIC_IMPORT = /(?:from|import)\s*["']\.\/([\w.-]+\.js)["']/g;
const seen = new Set();
function visit(file) {
  if (seen.has(file)) return;
  seen.add(file);
  for (const [, dep] of readFileSync(join(assets, file), 'utf8').matchAll(STATIC_IMPORT)) visit(dep);
}
visit(entry);
const routeChunk = /import\(["`']\.\/(MessageBoardPage-[\w-]+\.js)["`']\)/.exec(readFileSync(join(assets, entry), 'utf8'))?.[1];
if (!routeChunk) throw new Error('the entry does not lazy-load MessageBoardPage');
visit(routeChunk);

let total = 0;
for (const file of [...seen].sort()) {
  const size = gzipSync(readFileSync(join(assets, file)), { level: 6 }).length;
  total += size;
  process.stdout.write(`${(size / 1024).toFixed(1).padStart(7)} KiB  ${file}\n`);
}
process.stdout.write(`${(total / 1024).toFixed(1).padStart(7)} KiB  gzipped JS for the first page (${seen.size} files)\n`);
