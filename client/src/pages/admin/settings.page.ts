import { html, nothing } from 'lit-html';
import { keyed } from 'lit-html/directives/keyed.js';
import { repeat } from 'lit-html/directives/repeat.js';
import { RankSchema, type Page as ListPage, type Rank } from '../../../../shared/schemas/common.schema.js';
import type {
  ForcePolicy,
  ForceSettings,
  ForceSettingsAuditEntry,
  ForceSettingsUpdate,
  ForceSettingsValues,
} from '../../../../shared/schemas/force-settings.schema.js';
import { api, ApiError, errorText, isAbort } from '../../api.js';
import { fmtDateTime } from '../../format.js';
import { definePage, type Page } from '../../page.js';
import {
  adminTabs,
  fieldsOf,
  formErrors,
  formTop,
  noErrors,
  notice,
  read,
  userCan,
  type FormErrors,
} from './admin-kit.js';

const FORM = 'settings-form';
const FIELDS = [
  'policy',
  'policy.name',
  'policy.singleCrewRanks',
  'policy.authorisationMonths',
  'policy.studentOfficersMayCarry',
  'policy.specialsMayCarry',
  'minTaserUnits',
  'issueLeadMinutes',
  'smallNumberThreshold',
  'course',
  'course.placesPerDay',
  'course.days',
] as const;
const WEEKDAYS = [
  ['1', 'Mon'],
  ['2', 'Tue'],
  ['3', 'Wed'],
  ['4', 'Thu'],
  ['5', 'Fri'],
  ['6', 'Sat'],
  ['7', 'Sun'],
] as const;

/** `{ policy: { name: 'a' } }` → `[['policy.name', 'a']]`, for listing what an audit entry changed. */
function flatten(v: unknown, prefix = ''): [string, string][] {
  if (v && typeof v === 'object' && !Array.isArray(v))
    return Object.entries(v as Record<string, unknown>).flatMap(([k, x]) => flatten(x, prefix ? `${prefix}.${k}` : k));
  return [[prefix, Array.isArray(v) ? v.join(', ') || '—' : String(v)]];
}
const changes = (before: ForceSettingsValues, after: ForceSettingsValues): string[] => {
  const was = new Map(flatten(before));
  return flatten(after)
    .filter(([k, v]) => was.get(k) !== v)
    .map(([k, v]) => `${k}: ${was.get(k) ?? '—'} → ${v}`);
};

/** The force's crewing policy and thresholds, edited by an admin against the version read; with the audit trail. */
export function settingsPage(): Page {
  return definePage(
    (ctx) => {
      const mayWrite = userCan('force_settings', 'write');
      const mayAudit = userCan('force_settings_audit', 'read');
      let settings: ForceSettings | null = null;
      let audit: ForceSettingsAuditEntry[] = [];
      let status = 'Loading…';
      let errors: FormErrors = noErrors();
      let stale = false;
      let busy = false;
      let done = '';
      let key = 0;

      const load = () => {
        Promise.all([
          api<ForceSettings>('GET', '/force-settings', undefined, ctx.signal),
          mayAudit
            ? api<ListPage<ForceSettingsAuditEntry>>('GET', '/force-settings/audit?pageSize=20', undefined, ctx.signal)
            : Promise.resolve(null),
        ]).then(
          ([s, a]) => {
            settings = s;
            audit = a?.items ?? [];
            status =
              s.version === 0
                ? 'The built-in defaults apply: nobody has saved this force’s settings yet.'
                : `Version ${s.version}, saved ${s.updatedAt ? fmtDateTime(s.updatedAt) : ''} by ${s.updatedBy ?? ''}.`;
            key += 1;
            ctx.update();
          },
          (e: unknown) => {
            if (isAbort(e)) return;
            status = errorText(e);
            ctx.update();
          },
        );
      };
      load();

      const submit = (ev: SubmitEvent) => {
        ev.preventDefault();
        if (!settings) return;
        const f = read(new FormData(ev.currentTarget as HTMLFormElement));
        const days = f.all('course.days').map(Number);
        const body: ForceSettingsUpdate = {
          version: settings.version,
          policy: {
            name: f.str('policy.name') as ForcePolicy['name'],
            singleCrewRanks: f.all('policy.singleCrewRanks') as Rank[],
            authorisationMonths: f.num('policy.authorisationMonths') as number,
            studentOfficersMayCarry: f.bool('policy.studentOfficersMayCarry'),
            specialsMayCarry: f.bool('policy.specialsMayCarry'),
          },
          minTaserUnits: f.num('minTaserUnits'),
          issueLeadMinutes: f.num('issueLeadMinutes'),
          smallNumberThreshold: f.num('smallNumberThreshold'),
          course: { placesPerDay: f.num('course.placesPerDay') as number, ...(days.length ? { days } : {}) },
        };
        busy = true;
        errors = noErrors();
        stale = false;
        done = '';
        ctx.update();
        api<ForceSettings>('PUT', '/force-settings', body, ctx.signal).then(
          (s) => {
            busy = false;
            done = s.version === settings?.version ? 'Nothing changed.' : `Saved as version ${s.version}.`;
            load();
          },
          (e: unknown) => {
            if (isAbort(e)) return;
            busy = false;
            errors = formErrors(e, FIELDS);
            stale = e instanceof ApiError && e.id === 'settings_changed';
            ctx.update();
          },
        );
      };

      const form = (s: ForceSettings) => {
        const f = fieldsOf(FORM, errors);
        return html`<form id=${FORM} class="card admin-form" @submit=${submit} novalidate>
          ${formTop(errors)}
          ${
            stale
              ? html`<p>
                  <button
                    type="button"
                    class="secondary"
                    @click=${() => {
                      errors = noErrors();
                      stale = false;
                      load();
                    }}
                  >
                    Reload the current settings
                  </button>
                </p>`
              : nothing
          }
          <fieldset ?disabled=${!mayWrite}>
            <legend>Crewing policy</legend>
            <div class="form-grid">
              ${f.select(
                'policy.name',
                'Guidance',
                [
                  ['revised', 'Revised (2017)'],
                  ['legacy', 'Legacy'],
                ],
                s.policy.name,
              )}
              ${f.group(
                'policy.singleCrewRanks',
                'Ranks that may crew alone',
                RankSchema.options.map((r) => [r, r] as const),
                s.policy.singleCrewRanks,
              )}
              ${f.text('policy.authorisationMonths', 'Authorisation lasts (months)', s.policy.authorisationMonths, {
                type: 'number',
                min: 1,
                max: 60,
              })}
              <div class="checks">
                ${f.check(
                  'policy.studentOfficersMayCarry',
                  'Endorsed student officers may carry',
                  s.policy.studentOfficersMayCarry,
                )}
                ${f.check('policy.specialsMayCarry', 'Endorsed specials may carry', s.policy.specialsMayCarry)}
              </div>
            </div>
          </fieldset>
          <fieldset ?disabled=${!mayWrite}>
            <legend>Cover and armoury</legend>
            <div class="form-grid">
              ${f.text('minTaserUnits', 'Minimum Taser units per borough and shift', s.minTaserUnits, {
                type: 'number',
                min: 0,
              })}
              ${f.text('issueLeadMinutes', 'Issue opens (minutes before a shift)', s.issueLeadMinutes, {
                type: 'number',
                min: 0,
                max: 240,
              })}
              ${f.text(
                'smallNumberThreshold',
                'Taser use publication: counts below this are shown as <N',
                s.smallNumberThreshold,
                { type: 'number', min: 1, max: 100 },
              )}
              ${f.text('course.placesPerDay', 'Refresher course places per day', s.course.placesPerDay, {
                type: 'number',
                min: 1,
              })}
              ${f.group(
                'course.days',
                'Course days (none ticked: every day)',
                WEEKDAYS,
                (s.course.days ?? []).map(String),
              )}
            </div>
          </fieldset>
          ${
            mayWrite
              ? html`<div class="form-buttons"><button type="submit" ?disabled=${busy}>Save settings</button></div>`
              : nothing
          }
        </form>`;
      };

      return () =>
        html`${adminTabs('settings')}
          <h2>Force settings</h2>
          ${done ? notice(done) : nothing}
          <p class="muted" id="settings-status">${status}</p>
          ${settings ? keyed(key, form(settings)) : nothing}
          ${
            mayAudit
              ? html`<h3>Changes</h3>
                  <div class="table-wrap">
                    <table id="settings-audit">
                      <thead>
                        <tr>
                          <th>Version</th>
                          <th>When</th>
                          <th>By</th>
                          <th>What changed</th>
                        </tr>
                      </thead>
                      <tbody>
                        ${repeat(
                          audit,
                          (a) => a.version,
                          (a) =>
                            html`<tr data-version=${a.version}>
                              <td>${a.version}</td>
                              <td>${fmtDateTime(a.at)}</td>
                              <td>${a.by}</td>
                              <td>${changes(a.before, a.after).map((c) => html`<div>${c}</div>`)}</td>
                            </tr>`,
                        )}
                      </tbody>
                    </table>
                  </div>
                  ${audit.length ? nothing : html`<p class="muted">No changes saved yet.</p>`}`
              : nothing
          }`;
    },
    { id: 'admin-settings', className: 'admin' },
  );
}
