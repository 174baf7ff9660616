import { html, nothing } from 'lit-html';
import { can } from '../../../shared/auth/permissions.js';
import type { CrewPlanView, PlanDiff, PlanSummary, PlanSummaryPage } from '../../../shared/schemas/crew-plan.schema.js';
import type { Bcu, Borough, Station } from '../../../shared/schemas/org.schema.js';
import type { PlanCrew } from '../../../shared/schemas/plan.schema.js';
import type { RosterView } from '../../../shared/schemas/roster.schema.js';
import { api, errorText, isAbort, session } from '../api.js';
import { addDays, daysBetween, fmtDateTime, fmtDay, fmtRange, plural, tomorrowIso } from '../format.js';
import { definePage, type Page } from '../page.js';
import { CellDialog } from './planner/cell-dialog.js';
import { changesView } from './planner/changes.js';
import { DELETABLE, listView, progressView, revisionText, shortId, statusPill, unitText } from './planner/list.js';
import './planner/planner.css';
import { ABSENCE_LABEL, RosterGrid } from './planner/roster.js';
import { crewKey, shiftsView } from './planner/shifts.js';

type Org = { bcus: Bcu[]; boroughs: Borough[]; stations: Station[] };
type Tab = 'roster' | 'shifts' | 'changes';

declare global {
  interface Window {
    /** Milliseconds from the roster's data arriving to its first painted frame (read by the e2e timing). */
    __rosterRenderMs?: number;
  }
}

/**
 * The duty planner's workspace: build crews for a unit and dates and follow the solve; read a plan as a
 * roster (officers × days) or by shift; record absences from a cell and re-solve with minimal change; hand
 * edits on a draft; publish; amend a published roster and publish the amendment with a reason.
 */
export function plansPage(params: URLSearchParams): Page {
  return definePage(
    (ctx) => {
      const role = session.user()!.role;
      const canWrite = can(role, 'plans', 'write');
      const canAbsence = can(role, 'abstractions', 'write');

      // The list and the build form.
      let org: Org = { bcus: [], boroughs: [], stations: [] };
      let items: PlanSummary[] = [];
      let total = 0;
      let listPage = 1;
      const PAGE_SIZE = 25;
      let statusFilter = '';
      const form = { unit: '', from: tomorrowIso(), to: addDays(tomorrowIso(), 6), policy: 'revised' };
      let message = '';
      let failed = false;

      // The open plan.
      let openId: string | null = null;
      let plan: CrewPlanView | null = null;
      let tab: Tab = 'roster';
      let day = '';
      let diff: PlanDiff | null = null;
      let reason = '';
      let renderMs: number | null = null;
      let generation = 0;
      const grid = new RosterGrid(ctx.update);

      const say = (text: string, bad = false) => {
        message = text;
        failed = bad;
        ctx.update();
      };
      const fail = (e: unknown) => {
        if (!isAbort(e)) say(errorText(e), true);
      };
      const get = <T>(path: string) => api<T>('GET', path, undefined, ctx.signal);
      const post = <T>(path: string, body: unknown = {}) => api<T>('POST', path, body, ctx.signal);
      const go = (id: string | null, view: Tab = 'roster', d = '') => {
        const q = new URLSearchParams();
        if (id) q.set('id', id);
        if (id && view !== 'roster') q.set('view', view);
        if (d) q.set('day', d);
        const hash = `#/plans${q.size ? `?${q}` : ''}`;
        if (location.hash !== hash) location.hash = hash;
      };

      const loadList = async () => {
        const page = await get<PlanSummaryPage>(
          `/plans?page=${listPage}&pageSize=${PAGE_SIZE}${statusFilter ? `&status=${encodeURIComponent(statusFilter)}` : ''}`,
        );
        items = page.items;
        total = page.total;
        ctx.update();
      };
      // Keeps the list's solving rows moving while the page is open; stops with the page.
      ctx.every(3000, () => {
        if (!openId && items.some((p) => p.status === 'solving')) loadList().catch(fail);
      });

      const loadRoster = async (id: string, gen: number) => {
        const r = await get<RosterView>(`/plans/${id}/roster`);
        if (gen !== generation) return;
        const t0 = performance.now();
        grid.set(r);
        ctx.update();
        requestAnimationFrame(() =>
          setTimeout(() => {
            if (gen !== generation) return;
            renderMs = Math.round(performance.now() - t0);
            window.__rosterRenderMs = renderMs;
            ctx.update();
          }),
        );
      };
      const loadDiff = async (id: string, gen: number) => {
        const d = await get<PlanDiff>(`/plans/${id}/diff`);
        if (gen !== generation) return;
        diff = d;
        ctx.update();
      };

      /** Loads a plan; while it solves, polls its progress (the timer stops when the page is left). */
      const loadPlan = async (id: string, gen: number, withRoster = true): Promise<void> => {
        const p = await get<CrewPlanView>(`/plans/${id}`);
        if (gen !== generation) return;
        plan = p;
        ctx.update();
        if (p.status === 'solving') {
          ctx.after(700, () => void loadPlan(id, gen).catch(fail));
          return;
        }
        if (!p.plan) return;
        const work: Promise<void>[] = [];
        if (withRoster || !grid.roster || grid.roster.plan.id !== id) work.push(loadRoster(id, gen));
        if (tab === 'changes' || p.amends) work.push(loadDiff(id, gen));
        await Promise.all(work);
      };

      const navigate = (q: URLSearchParams) => {
        const id = q.get('id');
        tab = (['roster', 'shifts', 'changes'] as const).find((t) => t === q.get('view')) ?? 'roster';
        day = q.get('day') ?? '';
        if (id !== openId) {
          generation += 1;
          openId = id;
          plan = null;
          diff = null;
          renderMs = null;
          reason = '';
          grid.set(null);
          message = '';
          if (id) loadPlan(id, generation).catch(fail);
          else loadList().catch(fail);
        } else if (id && tab === 'changes' && !diff && plan?.plan) loadDiff(id, generation).catch(fail);
        ctx.update();
      };

      const reloadPlan = () => {
        if (!openId) return;
        generation += 1;
        loadPlan(openId, generation).catch(fail);
      };

      const dialog = new CellDialog({
        grid,
        plan: () => plan,
        canEdit: () => canWrite,
        canRecordAbsence: () => canAbsence,
        update: ctx.update,
        signal: ctx.signal,
        changed: (saved) => {
          if (saved) {
            plan = saved;
            diff = null;
          }
          say(saved ? 'Edit saved; the crews it shaped are locked.' : 'Absence recorded.');
          reloadPlan();
        },
        showShift: (d) => go(openId, 'shifts', d),
      });

      // Actions.
      const build = (ev: Event) => {
        ev.preventDefault();
        const [level, id] = form.unit.split(':') as [string, string];
        if (daysBetween(form.from, form.to) > 31) return say('A plan covers at most 31 days.', true);
        say('Starting…');
        post<CrewPlanView>('/plans', {
          unit: { level, id },
          from: form.from,
          to: form.to,
          policy: { name: form.policy },
        })
          .then((p) => {
            say('');
            go(p.id);
          })
          .catch(fail);
      };
      const cancel = (id: string) =>
        post(`/plans/${id}/cancel`)
          .then(() => {
            say('Solve cancelled.');
            if (openId) reloadPlan();
            else return loadList();
          })
          .catch(fail);
      const remove = (p: PlanSummary) => {
        if (!window.confirm(`Delete the ${p.status} plan for ${unitText(p)}, ${fmtRange(p.from, p.to)}?`)) return;
        api('DELETE', `/plans/${p.id}`, undefined, ctx.signal)
          .then(() => {
            say('Plan deleted.');
            if (openId === p.id) go(null);
            return loadList();
          })
          .catch(fail);
      };
      const resolve = () => {
        if (!plan) return;
        say('Re-solving with minimal change…');
        post<CrewPlanView>(`/plans/${plan.id}/resolve`)
          .then((next) => go(next.id))
          .catch(fail);
      };
      const amend = () => {
        if (!plan) return;
        post<CrewPlanView>(`/plans/${plan.id}/amend`)
          .then((next) => {
            say('Amendment started: edit or re-solve it, check the changes, then publish it with a reason.');
            go(next.id, 'changes');
          })
          .catch(fail);
      };
      const publish = (ev: Event) => {
        ev.preventDefault();
        if (!plan) return;
        const r = reason.trim();
        post<CrewPlanView>(`/plans/${plan.id}/publish`, r ? { reason: r } : {})
          .then((p) => {
            plan = p;
            reason = '';
            say(`Published${p.publishReason ? `: ${p.publishReason}` : ''}.`);
            reloadPlan();
          })
          .catch(fail);
      };
      /** Locks or unlocks one crew as it stands (PUT the draft's locks); a re-solve keeps locked crews. */
      const toggleLock = (c: PlanCrew, locked: boolean) => {
        if (!plan) return;
        const key = crewKey(c);
        const locks = locked
          ? plan.locks.filter((l) => crewKey(l) !== key)
          : [
              ...plan.locks,
              {
                shift: c.shift,
                members: c.members,
                carriers: c.carriers.map((k) => ({ officer: k.officer, device: k.device })),
              },
            ];
        api<CrewPlanView>('PUT', `/plans/${plan.id}/locks`, { locks }, ctx.signal)
          .then((p) => {
            plan = p;
            say(locked ? 'Crew unlocked.' : 'Crew locked: a re-solve keeps it.');
            reloadPlan();
          })
          .catch(fail);
      };
      const onGridClick = (ev: Event) => {
        const cell = (ev.target as HTMLElement).closest<HTMLElement>('button.cell');
        if (cell?.dataset.officer && cell.dataset.date) dialog.open(cell.dataset.officer, cell.dataset.date);
      };

      get<Org>('/org')
        .then((o) => {
          org = o;
          form.unit ||= o.boroughs[0]
            ? `borough:${o.boroughs[0].id}`
            : o.stations[0]
              ? `station:${o.stations[0].id}`
              : '';
          ctx.update();
        })
        .catch(fail);
      navigate(params);

      // Views.
      const buildForm = () =>
        html`<form class="card" id="new-plan" @submit=${build} aria-labelledby="new-plan-title">
          <h3 id="new-plan-title">Build crews</h3>
          <label
            >Unit
            <select name="unit" @change=${(e: Event) => (form.unit = (e.target as HTMLSelectElement).value)}>
              ${org.bcus.map((b) => html`<option value=${`bcu:${b.id}`} ?selected=${form.unit === `bcu:${b.id}`}>BCU: ${b.name}</option>`)}
              ${org.boroughs.map(
                (b) =>
                  html`<option value=${`borough:${b.id}`} ?selected=${form.unit === `borough:${b.id}`}>
                    Borough: ${b.name}
                  </option>`,
              )}
              ${org.stations.map(
                (s) =>
                  html`<option value=${`station:${s.id}`} ?selected=${form.unit === `station:${s.id}`}>
                    Station: ${s.name}
                  </option>`,
              )}
            </select></label
          >
          <label
            >From
            <input
              type="date"
              name="from"
              required
              .value=${form.from}
              @input=${(e: Event) => {
                form.from = (e.target as HTMLInputElement).value;
                if (form.to < form.from) form.to = form.from;
                ctx.update();
              }}
          /></label>
          <label
            >To
            <input
              type="date"
              name="to"
              required
              min=${form.from}
              max=${form.from ? addDays(form.from, 30) : ''}
              .value=${form.to}
              @input=${(e: Event) => (form.to = (e.target as HTMLInputElement).value)}
          /></label>
          <label
            >Policy
            <select name="policy" @change=${(e: Event) => (form.policy = (e.target as HTMLSelectElement).value)}>
              <option value="revised" ?selected=${form.policy === 'revised'}>Revised (2017)</option>
              <option value="legacy" ?selected=${form.policy === 'legacy'}>Legacy: both carry</option>
            </select></label
          >
          <button type="submit">Build crews</button>
        </form>`;

      const header = (p: CrewPlanView) => {
        const s = p.plan?.stats;
        return html`<div class="card plan-head" id="plan-head" data-plan=${p.id} data-status=${p.status}>
          <p><a href="#/plans">← All plans</a></p>
          <h2>${unitText(p)}, ${fmtRange(p.from, p.to)} ${statusPill(p.status)}</h2>
          <p class="muted">
            Plan ${shortId(p.id)} · created ${fmtDateTime(p.createdAt)} by ${p.createdBy} · policy ${p.policy ?? '—'} ·
            ${revisionText(p)}
            ${
              p.publishedAt
                ? html` · published ${fmtDateTime(p.publishedAt)} by
                  ${p.publishedBy}${p.publishReason ? html` — “${p.publishReason}”` : nothing}`
                : nothing
            }
          </p>
          ${
            s
              ? html`<p id="plan-stats">
                  ${p.plan!.status}: ${s.crews} crews (${s.pairs} pairs, ${s.singles} singles), ${s.taserCrews} with
                  Taser, ${s.pairsWithoutCarrier} pairs without a carrier, ${s.unassigned} unassigned, ${s.devicesUsed}
                  devices.
                </p>`
              : nothing
          }
          ${p.status === 'solving' ? progressView(p.progress, canWrite ? () => void cancel(p.id) : null) : nothing}
          ${p.error && p.status !== 'solving' ? html`<p class="error">${p.error.message} (${p.error.id})</p>` : nothing}
          ${
            p.dropped.length
              ? html`<details class="dropped" id="dropped" open>
                  <summary>${plural(p.dropped.length, 'crew')} from before could not be kept</summary>
                  <ul>
                    ${p.dropped.map(
                      (x) =>
                        html`<li>
                          ${x.kind === 'lock' ? 'Lock not honoured' : 'Previous crew dropped'}:
                          ${x.members.map((m) => grid.officer(m)?.name ?? m).join(' + ')} — ${x.reason}
                        </li>`,
                    )}
                  </ul>
                </details>`
              : nothing
          }
          ${canWrite ? actions(p) : nothing}
        </div>`;
      };

      const actions = (p: CrewPlanView) =>
        html`<div class="plan-actions">
          ${
            p.plan && (p.status === 'draft' || p.status === 'published')
              ? html`<button
                  type="button"
                  class=${p.status === 'draft' ? '' : 'secondary'}
                  id="resolve"
                  @click=${resolve}
                >
                  ${p.status === 'draft' ? 'Re-solve around my edits' : 'Re-solve with minimal change'}
                </button>`
              : nothing
          }
          ${p.status === 'published' ? html`<button type="button" id="amend" @click=${amend}>Amend</button>` : nothing}
          ${
            p.status === 'draft' && p.plan
              ? html`<form class="publish" id="publish-form" @submit=${publish}>
                  <label
                    >Reason${p.amends ? '' : ' (needed when it replaces a published roster)'}
                    <input
                      name="reason"
                      id="publish-reason"
                      maxlength="500"
                      ?required=${!!p.amends}
                      .value=${reason}
                      @input=${(e: Event) => (reason = (e.target as HTMLInputElement).value)}
                  /></label>
                  <button type="submit" id="publish">${p.amends ? 'Publish amendment' : 'Publish'}</button>
                </form>`
              : nothing
          }
          ${
            DELETABLE.has(p.status)
              ? html`<button type="button" class="secondary danger" @click=${() => remove(p)}>Delete</button>`
              : nothing
          }
        </div>`;

      const banner = (p: CrewPlanView) => {
        const hit = grid.affected();
        if (!hit.length) return nothing;
        const names = [...new Set(hit.map((h) => h.officer.id))].map((id) => {
          const days = hit.filter((h) => h.officer.id === id);
          return `${days[0]!.officer.name} (${ABSENCE_LABEL[days[0]!.kind]?.toLowerCase()} ${days.map((d) => fmtDay(d.date)).join(', ')})`;
        });
        return html`<div class="banner" id="affected-banner" role="status">
          <strong
            >${plural(names.length, 'officer')} in this plan ${names.length === 1 ? 'is' : 'are'} now absent:</strong
          >
          ${names.join('; ')}.
          ${
            canWrite && (p.status === 'draft' || p.status === 'published')
              ? html`<button type="button" id="resolve-affected" @click=${resolve}>
                  Re-solve with minimal change
                </button>`
              : nothing
          }
        </div>`;
      };

      const tabs = (p: CrewPlanView) => {
        const all: [Tab, string][] = [
          ['roster', 'Roster'],
          ['shifts', 'By shift'],
          ...(p.status === 'draft' ? ([['changes', 'Changes']] as [Tab, string][]) : []),
        ];
        return html`<nav class="tabs" aria-label="Plan views">
          ${all.map(
            ([t, label]) =>
              html`<a
                href=${`#/plans?id=${p.id}${t === 'roster' ? '' : `&view=${t}`}`}
                id=${`tab-${t}`}
                aria-current=${t === tab ? 'page' : 'false'}
                class=${t === tab ? 'active' : ''}
                >${label}</a
              >`,
          )}
        </nav>`;
      };

      const body = (p: CrewPlanView) => {
        if (!p.plan) return nothing;
        if (tab === 'shifts')
          return shiftsView(
            p,
            grid,
            day || grid.roster?.days[0] || p.from,
            (o, d) => dialog.open(o, d),
            (d) => go(p.id, 'shifts', d),
            canWrite && p.status === 'draft' ? toggleLock : null,
          );
        if (tab === 'changes')
          return html`${changesView(diff, grid)}
          ${
            canWrite && p.status === 'draft'
              ? html`<p class="muted">Publish below the plan's title${p.amends ? ' — a reason is required' : ''}.</p>`
              : nothing
          }`;
        return html`<div id="roster-view" data-render-ms=${renderMs ?? ''}>
          ${grid.view(onGridClick, (d) => go(p.id, 'shifts', d))}
          <p class="muted legend">
            Each cell: shift and local times, partner (or single / unassigned), ⚡ carrier and device, 🔒 locked. Click
            a cell for the officer's day${canWrite && p.status === 'draft' ? ' and hand edits' : ''}; click a day for
            its crews.
          </p>
        </div>`;
      };

      const view = () =>
        html`<h1 class="sr-only">Crew plans</h1>
          <p id="plan-status" role="status" class=${failed ? 'error' : 'muted'}>${message}</p>
          ${
            openId
              ? plan
                ? html`${header(plan)} ${banner(plan)} ${plan.plan ? tabs(plan) : nothing} ${body(plan)}`
                : html`<p><a href="#/plans">← All plans</a></p>
                    <p class="muted">Loading the plan…</p>`
              : html`<h2>Crew plans</h2>
                  ${canWrite ? buildForm() : html`<p class="muted">You can read plans; planners build them.</p>`}
                  ${listView({
                    items,
                    total,
                    page: listPage,
                    pageSize: PAGE_SIZE,
                    setPage: (n) => {
                      listPage = n;
                      loadList().catch(fail);
                    },
                    status: statusFilter,
                    canWrite,
                    setStatus: (s) => {
                      statusFilter = s;
                      listPage = 1;
                      loadList().catch(fail);
                    },
                    open: (id) => go(id),
                    remove,
                    cancel: (id) => void cancel(id),
                  })}`
          }
          ${dialog.view()}`;

      return { view, navigate };
    },
    { id: 'plans-page', className: 'planner' },
  );
}
