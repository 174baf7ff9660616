import { DEFAULT_FORCE_SETTINGS } from '../../shared/rules/force-settings.js';
import { isDeepStrictEqual } from 'node:util';
import type { Page } from '../../shared/schemas/common.schema.js';
import {
  defaultForceSettings,
  ForceSettingsValuesSchema,
  type ForceSettings,
  type ForceSettingsAuditEntry,
  type ForceSettingsAuditQuery,
  type ForceSettingsUpdate,
  type ForceSettingsValues,
} from '../../shared/schemas/force-settings.schema.js';
import type { Actor } from '../../shared/schemas/user.schema.js';
import { ConflictError, ValidationError } from '../errors.js';
import type { ForceSettingsRecord } from '../repositories/force-settings.repository.js';
import type { Repositories } from '../repositories/index.js';
import { requireRole, requireScope } from './access.js';
import type { ReferenceCache } from './reference-cache.js';

/** What the solver, the what-if, the armoury, the reports and the cover alerts read: a force's settings in force. */
export type ForceSettingsReader = { current(force: string): Promise<ForceSettings> };

const values = (s: ForceSettingsValues): ForceSettingsValues => ({
  policy: s.policy,
  minTaserUnits: s.minTaserUnits,
  issueLeadMinutes: s.issueLeadMinutes,
  course: s.course,
  ...(s.trainingSites ? { trainingSites: s.trainingSites } : {}),
  // Settings saved before the threshold existed read the built-in one.
  smallNumberThreshold: s.smallNumberThreshold ?? DEFAULT_FORCE_SETTINGS.smallNumberThreshold,
});

/**
 * The force's settings (DESIGN.md section 8): read by every user of the force, changed by an admin. Each save
 * inserts the next version (`<force>#<version>`), which is at once the atomic claim against another admin's
 * save and the audit record (who, when, before, after). A force that never saved any works to the built-in
 * defaults (`DEFAULT_FORCE_SETTINGS`, the cover minimum from MIN_TASER_UNITS) as version 0. Reads come from
 * the reference cache, which a save invalidates here and, through the live channel, on other instances.
 */
export function createForceSettingsService(
  repos: Repositories,
  ref: ReferenceCache,
  opts: { clock: () => Date; seed?: { minTaserUnits?: number } },
) {
  const defaults = () => defaultForceSettings(opts.seed);
  const view = (force: string, r: ForceSettingsRecord | null): ForceSettings =>
    r
      ? { force, version: r.version, updatedAt: r.at, updatedBy: r.by, ...values(r.settings) }
      : { force, version: 0, updatedAt: null, updatedBy: null, ...defaults() };

  /**
   * The newest version saved by this process, per force: read back even while the reference cache is still
   * re-reading the table (a background reload begun before the save), so a save is never followed by an older
   * version here. Versions only go up, so the newer of the two wins.
   */
  const savedHere = new Map<string, ForceSettingsRecord>();
  const current = async (force: string): Promise<ForceSettings> => {
    const cached = await ref.forceSettings(force);
    const mine = savedHere.get(force);
    return view(force, mine && (!cached || mine.version > cached.version) ? mine : cached);
  };

  const stale = (version: number, yours: number) =>
    new ConflictError(
      `The force settings were changed by someone else (now version ${version}, you edited ${yours}); reload them.`,
      'settings_changed',
      { version },
    );

  return {
    current,

    /** The actor's force's settings. */
    async get(actor: Actor): Promise<ForceSettings> {
      requireRole(actor, 'force_settings', 'read');
      return current(actor.force);
    },

    /**
     * Saves a change of the actor's force's settings made to `input.version`; a newer version saved meanwhile
     * is refused (`settings_changed`). Saving what is already in force writes nothing.
     */
    async update(actor: Actor, input: ForceSettingsUpdate): Promise<ForceSettings> {
      requireRole(actor, 'force_settings', 'write');
      requireScope(actor, { force: actor.force });
      const force = actor.force;
      const latest = await repos.forceSettings.latest(force);
      const version = latest?.version ?? 0;
      if (input.version !== version) throw stale(version, input.version);
      const before = latest ? values(latest.settings) : defaults();
      const sites = input.trainingSites === null ? undefined : (input.trainingSites ?? before.trainingSites);
      const parsed = ForceSettingsValuesSchema.safeParse({
        policy: { ...before.policy, ...input.policy },
        minTaserUnits: input.minTaserUnits ?? before.minTaserUnits,
        issueLeadMinutes: input.issueLeadMinutes ?? before.issueLeadMinutes,
        course: input.course ?? before.course,
        ...(sites ? { trainingSites: sites } : {}),
        smallNumberThreshold: input.smallNumberThreshold ?? before.smallNumberThreshold,
      });
      const invalid = (issues: { path: string; message: string }[]) =>
        new ValidationError(`Invalid settings: ${issues.map((i) => `${i.path}: ${i.message}`).join('; ')}`, {
          issues,
        });
      if (!parsed.success)
        throw invalid(parsed.error.issues.map((i) => ({ path: i.path.join('.'), message: i.message })));
      const after = parsed.data;
      // A site serves boroughs of this force only.
      if (input.trainingSites) {
        const known = new Set((await repos.boroughs.find({ force })).map((b) => b.id));
        const unknown = input.trainingSites.flatMap((site, i) =>
          (site.boroughs ?? []).flatMap((b, j) =>
            known.has(b) ? [] : [{ path: `trainingSites.${i}.boroughs.${j}`, message: `unknown borough ${b}` }],
          ),
        );
        if (unknown.length) throw invalid(unknown);
      }
      if (isDeepStrictEqual(after, before)) return view(force, latest);
      const record: ForceSettingsRecord = {
        force,
        version: version + 1,
        at: opts.clock().toISOString(),
        by: actor.username,
        settings: after,
        before,
      };
      if (!(await repos.forceSettings.insert(record)))
        throw stale((await repos.forceSettings.latest(force))?.version ?? version + 1, input.version);
      savedHere.set(force, record);
      return view(force, record);
    },

    /** Every change of the actor's force's settings, newest first. */
    async audit(actor: Actor, q: ForceSettingsAuditQuery): Promise<Page<ForceSettingsAuditEntry>> {
      requireRole(actor, 'force_settings_audit', 'read');
      const page = await repos.forceSettings.history(actor.force, q.page, q.pageSize);
      return {
        ...page,
        items: page.items.map((r) => ({
          force: r.force,
          version: r.version,
          at: r.at,
          by: r.by,
          before: values(r.before),
          after: values(r.settings),
        })),
      };
    },
  };
}
export type ForceSettingsService = ReturnType<typeof createForceSettingsService>;
