// `pnpm bench`: see options.ts for the flags and docs/performance.md for what it measures.
import { parseBenchArgs, USAGE } from './options.js';
import { RESULTS_DIR } from './paths.js';
import { interruptBench, reportFromFile, runBench } from './run.js';
import { SCENARIOS } from './scenarios/index.js';

const log = (line: string) => process.stderr.write(`[bench ${new Date().toISOString().slice(11, 19)}] ${line}\n`);

let options;
try {
  options = parseBenchArgs(
    process.argv.slice(2),
    SCENARIOS.map((s) => s.id),
  );
} catch (error) {
  process.stderr.write(`${error instanceof Error ? error.message : String(error)}\n\n${USAGE}\n`);
  process.exit(2);
}
if (!options) {
  process.stdout.write(`${USAGE}\n`);
  process.exit(0);
}

// The services, baselines and datastores are this process's children: stop them before leaving.
for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.once(signal, () => {
    log(`${signal}: stopping what the run started`);
    void interruptBench().finally(() => process.exit(130));
  });
}

try {
  const { file, report } = options.from ? reportFromFile(options.from, options.writeDocs) : await runBench(options, { resultsDir: RESULTS_DIR, log });
  process.stdout.write(`${report}\n`);
  log(`results: ${file}${options.writeDocs ? '; docs/performance.md updated' : ''}`);
} catch (error) {
  log(`failed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`);
  process.exit(1);
}
