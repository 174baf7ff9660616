import { z } from 'zod';
import { CodeSchema, IsoDateSchema } from '../../shared/schemas/common.schema.js';
import type { Officer } from '../../shared/schemas/officer.schema.js';
import type { ShiftInstance } from '../../shared/schemas/shift.schema.js';
import type { Actor } from '../../shared/schemas/user.schema.js';
import { expandRota, onDuty } from '../../shared/time/rota.js';
import { DateTime } from 'luxon';
import { LONDON } from '../../shared/time/zone.js';
import { ValidationError } from '../errors.js';
import type { Repositories } from '../repositories/index.js';
import { requireRole, scopedFilter } from './access.js';

export const DutyQuerySchema = z
  .object({
    station: CodeSchema.optional(),
    borough: CodeSchema.optional(),
    bcu: CodeSchema.optional(),
    from: IsoDateSchema,
    to: IsoDateSchema,
  })
  .strict()
  .refine((q) => q.from <= q.to, { message: '`to` must not be before `from`', path: ['to'] })
  .refine((q) => DateTime.fromISO(q.to).diff(DateTime.fromISO(q.from), 'days').days <= 62, {
    message: 'at most 62 days at a time',
    path: ['to'],
  });
export type DutyQuery = z.infer<typeof DutyQuerySchema>;

export type DutyShift = ShiftInstance & {
  onDuty: Officer[];
  abstracted: { collar: string; kind: string }[];
};

/** The rota worked out for a unit and date range: shift instances and who is on each, minus abstractions. */
export function createDutyService(repos: Repositories) {
  return {
    async roster(actor: Actor, q: DutyQuery): Promise<DutyShift[]> {
      requireRole(actor, 'duty', 'read');
      const { from, to, ...where } = q;
      if (!where.station && !where.borough && !where.bcu)
        throw new ValidationError('Name a station, borough or BCU.', { path: 'station' }, 'unit_required');
      const filter = await scopedFilter(repos, actor, where);
      const [teams, defs, officers] = await Promise.all([
        repos.teams.find(filter),
        repos.shiftDefinitions.find({ force: actor.force }),
        repos.officers.find(filter),
      ]);
      const abstractions = await repos.abstractions.find({ ...filter, from: { $lte: to }, to: { $gte: from } });
      return expandRota(teams, defs, from, to, LONDON).map((shift) => {
        const { present, abstracted } = onDuty(shift, officers, abstractions);
        return {
          ...shift,
          onDuty: present,
          abstracted: abstracted.map((a) => ({ collar: a.officer.collar, kind: a.kind })),
        };
      });
    },
  };
}
