import { z } from 'zod';

export const SolveStatusSchema = z.enum(['OPTIMAL', 'FEASIBLE', 'INFEASIBLE', 'UNKNOWN']);
export type SolveStatus = z.infer<typeof SolveStatusSchema>;

export const PlanCarrierSchema = z.object({ officer: z.string(), device: z.string() }).passthrough();
export type PlanCarrier = z.infer<typeof PlanCarrierSchema>;

export const PlanCrewSchema = z
  .object({
    shift: z.string(),
    members: z.array(z.string()).min(1).max(2),
    carriers: z.array(PlanCarrierSchema).max(2),
    /** True when the crew is exactly a planner lock. */
    locked: z.boolean().optional(),
  })
  .passthrough();
export type PlanCrew = z.infer<typeof PlanCrewSchema>;

export const UnassignedCauseSchema = z.enum(['student_without_partner', 'no_partner_and_may_not_single_crew']);
export type UnassignedCause = z.infer<typeof UnassignedCauseSchema>;

export const PlanUnassignedSchema = z
  .object({
    shift: z.string(),
    officer: z.string(),
    reason: z.string(),
    cause: UnassignedCauseSchema.optional(),
  })
  .passthrough();
export type PlanUnassigned = z.infer<typeof PlanUnassignedSchema>;

export const PlanStatsSchema = z
  .object({
    crews: z.number().int(),
    pairs: z.number().int(),
    singles: z.number().int(),
    pairsWithoutCarrier: z.number().int(),
    taserCrews: z.number().int(),
    devicesUsed: z.number().int(),
    unassigned: z.number().int(),
    solveMs: z.number(),
    /** Pairs in which both members carry (the legacy policy's level-2 figure). */
    pairsBothCarry: z.number().int().optional(),
  })
  .passthrough();
export type PlanStats = z.infer<typeof PlanStatsSchema>;

export const ExplanationCauseSchema = z.enum([
  'too_few_carriers',
  'too_few_devices',
  'legacy_pairs_not_both_carrying',
  /** Neither more devices nor more carriers alone helps (pairing, students, legacy pairs). */
  'pair_structure',
  'officers_unassigned',
  'lock_not_honoured',
]);
export type ExplanationCause = z.infer<typeof ExplanationCauseSchema>;

/**
 * One change to a scenario, exactly as a suggestion was measured with (server/solver/suggest.ts
 * applyScenarioChanges applies it). Added devices and officers get ids starting `SUGGEST-`.
 */
export const ScenarioChangeSchema = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('repair_device'), serials: z.array(z.string()).min(1) }).strict(),
  /** Lend these serials to `station` (in the scenario: they move there). */
  z.object({ kind: z.literal('move_device'), serials: z.array(z.string()).min(1), station: z.string() }).strict(),
  z
    .object({ kind: z.literal('add_device'), station: z.string(), model: z.string(), count: z.number().int().min(1) })
    .strict(),
  z
    .object({
      kind: z.literal('renew_authorisation'),
      officers: z.array(z.string()).min(1),
      lastTrained: z.string(),
    })
    .strict(),
  z.object({ kind: z.literal('lift_suspension'), officers: z.array(z.string()).min(1) }).strict(),
  /** Endorse them, and set the force's student/special setting to allow carrying where needed. */
  z.object({ kind: z.literal('endorse_officer'), officers: z.array(z.string()).min(1) }).strict(),
  /** Authorise officers on duty who hold no authorisation, on `model`, trained on `lastTrained`. */
  z
    .object({
      kind: z.literal('train_officer'),
      officers: z.array(z.string()).min(1),
      model: z.string(),
      lastTrained: z.string(),
    })
    .strict(),
  /** `count` (default 1) more regular officers of `rank` on `shift` (authorised on `model` when given). */
  z
    .object({
      kind: z.literal('add_officer'),
      shift: z.string(),
      rank: z.string(),
      model: z.string().optional(),
      lastTrained: z.string().optional(),
      count: z.number().int().min(1).optional(),
    })
    .strict(),
]);
export type ScenarioChange = z.infer<typeof ScenarioChangeSchema>;

export const SuggestionSchema = z
  .object({
    action: z.enum([
      'move_device',
      'repair_device',
      'renew_authorisation',
      'lift_suspension',
      'endorse_officer',
      'add_device',
      'add_experienced_officer',
      'add_single_crew_rank',
      'train_officer',
      'add_carrier',
      'combined',
    ]),
    message: z.string(),
    /**
     * Measured: re-solving the shift's component (its station's shifts linked by overlaps) with
     * `change` applied gives exactly this many more pairs with a carrier (legacy: more pairs in which
     * both carry), or, for officers_unassigned, this many fewer officers unassigned.
     */
    covers: z.number().int(),
    /** The change measured (several for a combined suggestion, measured together). */
    change: z.array(ScenarioChangeSchema).optional(),
    officer: z.string().optional(),
    station: z.string().optional(),
    model: z.string().optional(),
    devices: z.array(z.string()).optional(),
  })
  .passthrough();
export type Suggestion = z.infer<typeof SuggestionSchema>;

export const ExplanationSchema = z
  .object({
    shift: z.string(),
    cause: ExplanationCauseSchema,
    message: z.string(),
    numbers: z.record(z.string(), z.number()),
    suggestions: z.array(SuggestionSchema),
    /** The shifts whose re-solve measured the suggestions (the shift's component). */
    componentShifts: z.array(z.string()).optional(),
    /** False when the time budget for measuring ran out before this shift: no suggestions, cause from the data. */
    measured: z.boolean().optional(),
  })
  .passthrough();
export type Explanation = z.infer<typeof ExplanationSchema>;

export const OptimalitySchema = z
  .object({
    /** `proven` when CP-SAT proved levels (1)-(3) optimal for every shift. */
    levels1to3: z.enum(['proven', 'not_proven']),
    /** Locks and keeping a previous plan's crews, after levels (1)-(3). */
    locks: z.enum(['proven', 'not_proven', 'none']),
    /** Fair rotation, fewer handovers, partners kept: chosen by a deterministic rule, not proven. */
    soft: z.literal('heuristic'),
  })
  .passthrough();
export type Optimality = z.infer<typeof OptimalitySchema>;

export const PlanSchema = z
  .object({
    version: z.literal(1),
    status: SolveStatusSchema,
    crews: z.array(PlanCrewSchema),
    unassigned: z.array(PlanUnassignedSchema),
    stats: PlanStatsSchema,
    optimality: OptimalitySchema.optional(),
    explanations: z.array(ExplanationSchema).optional(),
  })
  .passthrough();
export type Plan = z.infer<typeof PlanSchema>;
