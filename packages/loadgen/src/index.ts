export { ArgsError, parseLoadgenArgs, USAGE, type LoadgenOptions } from './args.js';
export { runLoad, runLoadgen } from './loadgen.js';
export { formatFinal, formatLine, formatTable, passes } from './report.js';
export { FlowStats, type FlowFigures, type Summary } from './stats.js';
export { FLOWS } from './flows/index.js';
export type { Output } from './live.js';
