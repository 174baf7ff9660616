import { z } from 'zod';
import { CodeSchema, IsoDateSchema, PageNumberSchema, pageSizeSchema } from './common.schema.js';
import { ForcePolicySchema } from './force-settings.schema.js';

export const PlanUnitSchema = z.object({ level: z.enum(['station', 'borough', 'bcu']), id: CodeSchema }).strict();
export type PlanUnit = z.infer<typeof PlanUnitSchema>;

/** Policy settings a planner or borough lead may choose for a solve (the force's settings otherwise). */
export const PlanPolicyInputSchema = ForcePolicySchema.partial().strict();
export type PlanPolicyInput = z.infer<typeof PlanPolicyInputSchema>;

export const CrewLockSchema = z
  .object({
    shift: z.string().min(1).max(64),
    members: z.array(z.string().min(1).max(64)).min(1).max(2),
    carriers: z
      .array(z.object({ officer: z.string().min(1).max(64), device: z.string().min(1).max(64).optional() }).strict())
      .max(2)
      .optional(),
  })
  .strict();
export type CrewLock = z.infer<typeof CrewLockSchema>;

export const CreatePlanSchema = z
  .object({
    unit: PlanUnitSchema,
    from: IsoDateSchema,
    to: IsoDateSchema,
    policy: PlanPolicyInputSchema.optional(),
    locks: z.array(CrewLockSchema).max(2000).optional(),
  })
  .strict()
  .refine((p) => p.from <= p.to, { message: '`to` must not be before `from`', path: ['to'] })
  .refine((p) => (Date.parse(p.to) - Date.parse(p.from)) / 86_400_000 <= 31, {
    message: 'at most 31 days per plan',
    path: ['to'],
  });
export type CreatePlan = z.infer<typeof CreatePlanSchema>;

export const SetLocksSchema = z.object({ locks: z.array(CrewLockSchema).max(2000) }).strict();
export const ResolveSchema = z.object({ locks: z.array(CrewLockSchema).max(2000).optional() }).strict();
export const PublishSchema = z.object({ reason: z.string().trim().min(3).max(500).optional() }).strict();

export const PlanStatusSchema = z.enum(['solving', 'draft', 'published', 'superseded', 'failed', 'cancelled']);
export type PlanStatus = z.infer<typeof PlanStatusSchema>;

export const PlanListQuerySchema = z
  .object({
    page: PageNumberSchema,
    pageSize: pageSizeSchema(200, 20),
    status: PlanStatusSchema.optional(),
    bcu: CodeSchema.optional(),
    borough: CodeSchema.optional(),
    station: CodeSchema.optional(),
  })
  .strict();
