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
  TrainingSite,
} from '../../../../shared/schemas/force-settings.schema.js';
import type { OrgView } from '../../../../shared/schemas/org.schema.js';
import { trainingSitesOf } from '../../../../shared/rules/refresher.js';
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
  'trainingSites',
] as const;
/** The input names of training site `i` (errors land on them by path, e.g. `trainingSites.1.id`). */
const siteFields = (i: number) =>
  ['', '.id', '.name', '.placesPerDay', '.days', '.boroughs'].map((x) => `trainingSites.${i}${x}`);
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
  // A list of records (the training sites) by position: `trainingSites.0.name`.
  if (Array.isArray(v) && v.some((x) => x && typeof x === 'object'))
    return v.flatMap((x, i) => flatten(x, `${prefix}.${i}`));
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

/** A training site being edited: `key` keeps its inputs while sites are added or removed; `all`: every borough. */
type SiteDraft = { key: number; site: TrainingSite; all: boolean };

/** The site as the API takes it, fields in one order (to tell an edit from the sites as they were). */
const siteBody = (x: TrainingSite): TrainingSite => ({
  id: x.id,
  name: x.name,
  days: x.days,
  placesPerDay: x.placesPerDay,
  ...(x.boroughs ? { boroughs: x.boroughs } : {}),
});

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
      let boroughs: OrgView['boroughs'] = [];
      let sites: SiteDraft[] = [];
      let siteKey = 0;
      const draft = (site: TrainingSite): SiteDraft => ({ key: ++siteKey, site, all: !site.boroughs });
      api<OrgView>('GET', '/org', undefined, ctx.signal).then(
        (o) => {
          boroughs = o.boroughs;
          ctx.update();
        },
        () => undefined,
      );

      const load = () => {
        Promise.all([
          api<ForceSettings>('GET', '/force-settings', undefined, ctx.signal),
          mayAudit
            ? api<ListPage<ForceSettingsAuditEntry>>('GET', '/force-settings/audit?pageSize=20', undefined, ctx.signal)
            : Promise.resolve(null),
        ]).then(
          ([s, a]) => {
            settings = s;
            sites = trainingSitesOf(s).map((x) => draft({ ...x, days: [...x.days] } as TrainingSite));
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
        const edited = sites.map((d, i) => {
          const n = `trainingSites.${i}`;
          return siteBody({
            id: f.str(`${n}.id`),
            name: f.str(`${n}.name`),
            days: f.all(`${n}.days`).map(Number),
            placesPerDay: f.num(`${n}.placesPerDay`) as number,
            ...(d.all ? {} : { boroughs: f.all(`${n}.boroughs`) }),
          });
        });
        // Sites are sent once configured, or when the site derived from the course setting is edited.
        const sendSites =
          !!settings.trainingSites ||
          JSON.stringify(edited) !== JSON.stringify(trainingSitesOf(settings).map((x) => siteBody(x as TrainingSite)));
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
          ...(sendSites ? { trainingSites: edited } : {}),
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
            errors = formErrors(e, [...FIELDS, ...sites.flatMap((_, i) => siteFields(i))]);
            stale = e instanceof ApiError && e.id === 'settings_changed';
            ctx.update();
          },
        );
      };

      /** One site's inputs: id, name, places, weekdays, and every borough or the boroughs ticked. */
      const siteForm = (f: ReturnType<typeof fieldsOf>, d: SiteDraft, i: number) => {
        const n = `trainingSites.${i}`;
        const x = d.site;
        return html`<fieldset class="training-site" data-site=${x.id}>
          <legend>Site ${i + 1}${x.name ? `: ${x.name}` : ''}</legend>
          ${errors.fields[n] ? html`<p class="field-error" data-error-for=${n}>${errors.fields[n]}</p>` : nothing}
          <div class="form-grid">
            ${f.text(`${n}.id`, 'Site id', x.id, { hint: '(letters, digits, - _ .)' })}
            ${f.text(`${n}.name`, 'Name', x.name)}
            ${f.text(`${n}.placesPerDay`, 'Places per course day', x.placesPerDay, { type: 'number', min: 1, max: 200 })}
          </div>
          ${f.group(`${n}.days`, 'Course days', WEEKDAYS, x.days.map(String))}
          ${f.check(`${n}.all`, 'Serves every borough', d.all, {
            onChange: (v) => {
              d.all = v;
              ctx.update();
            },
          })}
          ${
            d.all
              ? nothing
              : f.group(
                  `${n}.boroughs`,
                  'Boroughs served',
                  boroughs.map((b) => [b.id, b.name] as const),
                  x.boroughs ?? [],
                )
          }
          ${
            mayWrite && sites.length > 1
              ? html`<p>
                  <button
                    type="button"
                    class="secondary"
                    aria-label=${`Remove site ${i + 1}${x.name ? ` ${x.name}` : ''}`}
                    @click=${() => {
                      sites = sites.filter((y) => y !== d);
                      errors = noErrors();
                      ctx.update();
                    }}
                  >
                    Remove site ${i + 1}
                  </button>
                </p>`
              : nothing
          }
        </fieldset>`;
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
            </div>
          </fieldset>
          <fieldset ?disabled=${!mayWrite} id="training-sites">
            <legend>Refresher training sites</legend>
            <p class="muted">
              Each site runs refresher courses on its weekdays with its places per day, for the officers of the boroughs
              it serves. The planner books an officer only at a site serving their borough.
            </p>
            ${
              errors.fields['trainingSites']
                ? html`<p class="field-error" data-error-for="trainingSites">${errors.fields['trainingSites']}</p>`
                : nothing
            }
            ${repeat(
              sites,
              (d) => d.key,
              (d, i) => siteForm(f, d, i),
            )}
            ${
              mayWrite
                ? html`<p>
                    <button
                      type="button"
                      class="secondary"
                      id="add-site"
                      @click=${() => {
                        const ids = new Set(sites.map((x) => x.site.id));
                        let n = sites.length + 1;
                        while (ids.has(`site-${n}`)) n += 1;
                        sites = [...sites, draft({ id: `site-${n}`, name: '', days: [2, 4], placesPerDay: 12 })];
                        ctx.update();
                      }}
                    >
                      Add a training site
                    </button>
                  </p>`
                : nothing
            }
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
