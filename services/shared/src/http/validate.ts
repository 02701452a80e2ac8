import type { z } from 'zod';
import { AppError, type FieldProblem } from '../errors.js';

export type RequestPart = 'body' | 'query' | 'params' | 'headers';

/** Parses one part of a request with a zod schema; a mismatch is a 400 that lists every field problem. */
export function parseRequest<S extends z.ZodType>(schema: S, value: unknown, part: RequestPart): z.output<S> {
  const result = schema.safeParse(value);
  if (result.success) return result.data;
  const errors: FieldProblem[] = result.error.issues.map((issue) => ({
    path: [part, ...issue.path.map(String)].join('.'),
    message: issue.message,
  }));
  throw new AppError('invalid-argument', `request ${part} is invalid`, { errors });
}
