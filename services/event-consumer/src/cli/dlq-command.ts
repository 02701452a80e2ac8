import { inspect, parseArgs } from 'node:util';
import type { NatsConnection } from '@testbed/service-kit';
import { listDeadLetters, replayDeadLetter, type DeadLetter, type EventTopology } from '@testbed/service-kit/events';

export const DLQ_USAGE = `usage:
  dlq list [--consumer NAME] [--limit N] [--json]   show dead letters with their error
  dlq replay [SEQ...] [--consumer NAME]            republish to the original subject and remove from the DLQ
                                                   (no SEQ: every dead letter, or every one of --consumer)
`;

export class UsageError extends Error {}

/** A failure as one line for the operator: its message and those of its causes (the stack is for logs). */
export function describeError(error: unknown): string {
  const parts: string[] = [];
  for (let current: unknown = error; current !== undefined && parts.length < 5;) {
    if (current instanceof Error) {
      parts.push(current.message || current.name);
      current = current.cause;
    } else {
      parts.push(typeof current === 'string' ? current : inspect(current));
      current = undefined;
    }
  }
  return parts.join(': ');
}

function describe(letter: DeadLetter): string {
  return [
    `#${letter.seq}  ${letter.failedAt}  consumer=${letter.consumer}  deliveries=${letter.deliveries}`,
    `    event ${letter.eventId ?? '(unparseable)'} ${letter.type ?? ''} on ${letter.subject}`,
    `    error: ${letter.error}`,
  ].join('\n');
}

/** Runs one `dlq` command and returns what to print; the entry point owns the connection and exit code. */
export async function runDlqCommand(argv: readonly string[], deps: { nc: NatsConnection; topology: EventTopology }): Promise<string> {
  const { positionals, values } = parseArgs({
    args: [...argv],
    allowPositionals: true,
    options: {
      consumer: { type: 'string' },
      limit: { type: 'string', default: '100' },
      json: { type: 'boolean', default: false },
    },
  });
  const [command, ...ids] = positionals;
  const limit = Number(values.limit);
  if (!Number.isInteger(limit) || limit < 1) throw new UsageError('--limit must be a positive integer');
  const query = { topology: deps.topology, limit, ...(values.consumer ? { consumer: values.consumer } : {}) };

  switch (command) {
    case 'list': {
      if (ids.length > 0) throw new UsageError('list takes no positional arguments');
      const letters = await listDeadLetters(deps.nc, query);
      if (values.json) return `${JSON.stringify(letters, null, 2)}\n`;
      if (letters.length === 0) return 'no dead letters\n';
      return `${letters.map(describe).join('\n')}\n${letters.length} dead letter(s)\n`;
    }
    case 'replay': {
      const seqs = ids.map(Number);
      if (seqs.some((seq) => !Number.isInteger(seq) || seq < 1)) throw new UsageError('SEQ must be a positive integer');
      const targets = seqs.length > 0 ? seqs : (await listDeadLetters(deps.nc, query)).map((letter) => letter.seq);
      const lines: string[] = [];
      for (const seq of targets) {
        const letter = await replayDeadLetter(deps.nc, seq, { topology: deps.topology });
        lines.push(`replayed #${seq} (event ${letter.eventId ?? '?'}) to ${letter.subject}`);
      }
      lines.push(`${targets.length} dead letter(s) replayed`);
      return `${lines.join('\n')}\n`;
    }
    default:
      throw new UsageError(command ? `unknown command: ${command}` : 'missing command');
  }
}
