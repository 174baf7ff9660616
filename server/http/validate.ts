import type { z } from 'zod';
import { ValidationError } from '../errors.js';

/** Parses input with a shared schema; a failure names every bad field. */
export function parse<S extends z.ZodTypeAny>(schema: S, input: unknown, where = 'body'): z.infer<S> {
  const r = schema.safeParse(input);
  if (r.success) return r.data as z.infer<S>;
  const issues = r.error.issues.map((i) => ({
    path: i.path.join('.') || where,
    message: i.code === 'unrecognized_keys' ? `unknown field(s): ${i.keys.join(', ')}` : i.message,
  }));
  throw new ValidationError(`Invalid ${where}: ${issues.map((i) => `${i.path}: ${i.message}`).join('; ')}`, { issues });
}
