import { join } from 'node:path';

export const BENCH_ROOT = join(import.meta.dirname, '..');
export const REPO_ROOT = join(BENCH_ROOT, '..');
/** Where each run's JSON goes (gitignored). */
export const RESULTS_DIR = join(BENCH_ROOT, 'results');
export const PERFORMANCE_DOC = join(REPO_ROOT, 'docs', 'performance.md');
