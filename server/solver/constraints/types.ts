import type { ModelContext } from '../model-context.js';

/** One rule of DESIGN.md section 4 as it enters the CP-SAT model. */
export type ModelRule = {
  id: string;
  kind: 'hard' | 'soft';
  /** Hard rules: 'hard'. Soft rules: the objective level and weight. */
  weight: string;
  description: string;
  apply(ctx: ModelContext): void;
};
