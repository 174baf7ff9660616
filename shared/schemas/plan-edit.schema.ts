import { z } from 'zod';

const Id = z.string().min(1).max(64);

/** Two officers on the same shift exchange places (crew, or the unassigned list); devices stay with their carrier. */
export const SwapOpSchema = z.object({ op: z.literal('swap'), shift: Id, a: Id, b: Id }).strict();
/** An officer joins the single crew of `with`, or (no `with`) becomes a single crew of their own. */
export const MoveOpSchema = z.object({ op: z.literal('move'), shift: Id, officer: Id, with: Id.optional() }).strict();
/** A crew member is issued a specific device for the shift. */
export const GiveDeviceOpSchema = z
  .object({ op: z.literal('give_device'), shift: Id, officer: Id, device: Id })
  .strict();
/** A carrier gives their device back. */
export const TakeDeviceOpSchema = z.object({ op: z.literal('take_device'), shift: Id, officer: Id }).strict();
/** Two officers of the shift, each taken out of their crew (or the unassigned list), form a pair. */
export const MakeCrewOpSchema = z
  .object({ op: z.literal('make_crew'), shift: Id, officers: z.tuple([Id, Id]) })
  .strict();
/** The pair `officer` is in becomes two single crews, or unassigned where a member may not single-crew. */
export const SplitCrewOpSchema = z.object({ op: z.literal('split_crew'), shift: Id, officer: Id }).strict();

export const EditOpSchema = z.discriminatedUnion('op', [
  SwapOpSchema,
  MoveOpSchema,
  GiveDeviceOpSchema,
  TakeDeviceOpSchema,
  MakeCrewOpSchema,
  SplitCrewOpSchema,
]);
export type EditOp = z.infer<typeof EditOpSchema>;

/** Body of `POST /plans/:id/edits` and `POST /plans/:id/edits/check`: applied in order, all or none. */
export const PlanEditsSchema = z.object({ ops: z.array(EditOpSchema).min(1).max(200) }).strict();
export type PlanEdits = z.infer<typeof PlanEditsSchema>;

/** The hard rule (DESIGN.md section 4) or precondition an edit broke. */
export const EditRuleSchema = z.enum([
  'unknown_shift',
  'not_on_shift',
  'officer_absent',
  'same_officer',
  'same_crew',
  'not_in_crew',
  'crew_full',
  'not_a_pair',
  'already_single',
  'students_paired',
  'student_single',
  'rank_may_not_single',
  'not_eligible',
  'not_trained_on_model',
  'unknown_device',
  'device_not_serviceable',
  'device_other_station',
  'device_in_use',
  'already_carrying',
  'not_carrying',
  'legacy_single_may_not_carry',
  'legacy_pair_not_both_carrying',
]);
export type EditRule = z.infer<typeof EditRuleSchema>;

/** Why an edit was refused: `details` of the `edit_refused` error, and the answer of a check. */
export const EditRefusalSchema = z
  .object({
    rule: EditRuleSchema,
    /** A planner's sentence: "PC Jane Smith is a student and may not be single-crewed." */
    message: z.string(),
    /** Index of the refused op in `ops`. */
    op: z.number().int(),
    officer: z.string().optional(),
    device: z.string().optional(),
    /** For `not_eligible`: the eligibility reason (shared/rules/eligibility.ts). */
    reason: z.string().optional(),
  })
  .strict();
export type EditRefusal = z.infer<typeof EditRefusalSchema>;

/** Answer of `POST /plans/:id/edits/check`: nothing is saved. */
export const EditCheckResultSchema = z.union([
  z.object({ ok: z.literal(true) }).strict(),
  z.object({ ok: z.literal(false), refusal: EditRefusalSchema }).strict(),
]);
export type EditCheckResult = z.infer<typeof EditCheckResultSchema>;
