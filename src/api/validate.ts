import type { Request } from 'express';
import type { z } from 'zod';
import { HttpProblem, validationProblem } from './problem.js';

/** Parses a part of the request with its schema; invalid input is a 400 naming every field. */
export function parse<S extends z.ZodType>(
  schema: S,
  req: Request,
  source: 'body' | 'query' | 'params',
): z.infer<S> {
  const result = schema.safeParse(req[source] ?? {});
  if (!result.success) {
    const p = validationProblem(result.error, source);
    throw new HttpProblem(400, p.title, p.detail, p.errors);
  }
  return result.data;
}
