#!/usr/bin/env node
// `pnpm loadgen --url <base> [--users N] [--duration S]`: see ./args.ts and docs/loadgen.md.
import { ArgsError, parseLoadgenArgs, USAGE } from './args.js';
import { runLoadgen } from './loadgen.js';

try {
  const options = parseLoadgenArgs(process.argv.slice(2), process.env);
  if (options === null) {
    process.stdout.write(`${USAGE}\n`);
  } else {
    process.exitCode = (await runLoadgen(options)) ? 0 : 1;
  }
} catch (error) {
  if (error instanceof ArgsError) {
    process.stderr.write(`loadgen: ${error.message}\n\n${USAGE}\n`);
    process.exitCode = 2;
  } else {
    process.stderr.write(`loadgen: ${error instanceof Error ? error.message : String(error)}\n`);
    process.exitCode = 1;
  }
}
