import { DateTime } from 'luxon';
import { z } from 'zod';

/** A calendar date, `YYYY-MM-DD`, read in the unit's zone. */
export const IsoDateSchema = z
  .string()
  .regex(/^\d{4}-\d{2}-\d{2}$/, 'expected a date as YYYY-MM-DD')
  .refine((s) => DateTime.fromISO(s, { zone: 'UTC' }).isValid, 'not a real calendar date');

/** A local wall-clock time, `HH:mm`. */
export const LocalTimeSchema = z.string().regex(/^([01]\d|2[0-3]):[0-5]\d$/, 'expected a time as HH:mm');

/** An identifier or code: letters, digits, dash, underscore, dot. */
export const CodeSchema = z
  .string()
  .min(1)
  .max(64)
  .regex(/^[A-Za-z0-9][A-Za-z0-9._-]*$/, 'expected letters, digits, dot, dash or underscore');

export const RankSchema = z.enum(['PC', 'SGT', 'INSP']);
export type Rank = z.infer<typeof RankSchema>;

export const OfficerKindSchema = z.enum(['regular', 'student', 'special']);
export type OfficerKind = z.infer<typeof OfficerKindSchema>;

export const DeviceModelSchema = z.enum(['X2', 'T7', 'T10']);
export type DeviceModel = z.infer<typeof DeviceModelSchema>;

export const ScopeLevelSchema = z.enum(['force', 'bcu', 'borough', 'station']);
export type ScopeLevel = z.infer<typeof ScopeLevelSchema>;

/** Where an entity sits in the force structure; denormalised on every scoped record. */
export const PlacementSchema = z.object({
  force: CodeSchema,
  bcu: CodeSchema,
  borough: CodeSchema,
  station: CodeSchema,
});
export type Placement = z.infer<typeof PlacementSchema>;

/** The highest page number a list accepts: deeper pages are refused, not scanned (`?page=1e308` is a 400). */
export const MAX_PAGE = 10_000;
/** The most items one page of any list carries. */
export const MAX_PAGE_SIZE = 500;

/** `?page=`: a whole number from 1 to MAX_PAGE. */
export const PageNumberSchema = z.coerce.number().int().min(1).max(MAX_PAGE).default(1);
/** `?pageSize=`: a whole number from 1 to `max` (at most MAX_PAGE_SIZE). */
export const pageSizeSchema = (max: number, fallback: number) =>
  z.coerce.number().int().min(1).max(Math.min(max, MAX_PAGE_SIZE)).default(fallback);

/** The longest free text (names, labels, notes) any input carries. */
export const MAX_TEXT = 500;
/** Free text: at most MAX_TEXT characters. */
export const TextSchema = z.string().max(MAX_TEXT);

export const PageQuerySchema = z
  .object({
    page: PageNumberSchema,
    pageSize: pageSizeSchema(500, 50),
    force: CodeSchema.optional(),
    bcu: CodeSchema.optional(),
    borough: CodeSchema.optional(),
    station: CodeSchema.optional(),
    /** Text search over the resource's name and id fields (case-insensitive, literal, not a pattern). */
    q: z.string().trim().max(100).optional(),
  })
  .strict();
export type PageQuery = z.infer<typeof PageQuerySchema>;

export type Page<T> = { items: T[]; page: number; pageSize: number; total: number };

export const ErrorBodySchema = z.object({
  error: z.object({ id: z.string(), message: z.string(), details: z.unknown().optional() }),
});
export type ErrorBody = z.infer<typeof ErrorBodySchema>;
