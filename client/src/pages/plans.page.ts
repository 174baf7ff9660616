import type { Page } from '../../../shared/schemas/common.schema.js';
import type { PlanSummary } from '../../../shared/schemas/crew-plan.schema.js';
import type { Plan, PlanCrew } from '../../../shared/schemas/plan.schema.js';
import { api, ApiError, session } from '../api.js';
import { h } from '../dom.js';

type PlanView = {
  id: string;
  unit: { level: string; id: string };
  from: string;
  to: string;
  status: string;
  progress: { phase?: string; shiftsDone?: number; shiftsTotal?: number } | null;
  error: { id: string; message: string } | null;
  plan: Plan | null;
  locks: { shift: string; members: string[] }[];
  basedOn: string | null;
  revision: number;
  createdBy: string;
  publishedBy: string | null;
  publishedAt: string | null;
  publishReason: string | null;
};
type Org = { boroughs: { id: string; name: string }[]; stations: { id: string; name: string; borough: string }[] };

const message = (e: unknown) => (e instanceof ApiError ? `${e.message} (${e.id})` : 'Could not reach the server.');
const tomorrow = () => new Date(Date.now() + 86_400_000).toISOString().slice(0, 10);

/** The duty planner's page: start a solve, follow it, read the crews and why cover falls short, lock, re-solve, publish. */
export function plansPage(): HTMLElement {
  const status = h('p', { class: 'muted', id: 'plan-status' });
  const list = h('tbody');
  const detail = h('div', { id: 'plan-detail' });
  const unit = h('select', { name: 'unit' });
  const from = h('input', { name: 'from', type: 'date', value: tomorrow() });
  const to = h('input', { name: 'to', type: 'date', value: tomorrow() });
  const policy = h(
    'select',
    { name: 'policy' },
    h('option', { value: 'revised' }, 'Revised (2017)'),
    h('option', { value: 'legacy' }, 'Legacy: both carry'),
  );
  let timer: ReturnType<typeof setTimeout> | undefined;

  const fail = (e: unknown) => {
    status.textContent = message(e);
    status.className = 'error';
  };

  const refreshList = async () => {
    const page = await api<Page<PlanSummary>>('GET', '/plans?pageSize=20');
    list.replaceChildren(
      ...page.items.map((p) =>
        h(
          'tr',
          { 'data-plan': p.id },
          h('td', {}, `${p.unit.level} ${p.unit.id}`),
          h('td', {}, p.from === p.to ? p.from : `${p.from} → ${p.to}`),
          h(
            'td',
            {},
            h(
              'span',
              { class: `pill ${p.status === 'published' ? 'good' : p.status === 'failed' ? 'bad' : ''}` },
              p.status,
            ),
          ),
          h(
            'td',
            {},
            p.stats ? `${p.stats.pairsWithoutCarrier} pairs without carrier, ${p.stats.unassigned} unassigned` : '',
          ),
          h('td', {}, h('button', { class: 'secondary', onclick: () => void show(p.id).catch(fail) }, 'Open')),
        ),
      ),
    );
  };

  const crewRow = (p: PlanView, c: PlanCrew, locked: boolean) =>
    h(
      'tr',
      { class: 'crew' },
      h('td', {}, c.members.join(' + ')),
      h(
        'td',
        {},
        c.carriers.map((x) => `${x.officer} (${x.device})`).join(', ') ||
          h(
            'span',
            { class: c.members.length === 2 ? 'pill bad' : 'muted' },
            c.members.length === 2 ? 'no carrier' : '—',
          ),
      ),
      h(
        'td',
        {},
        p.status === 'draft'
          ? h(
              'label',
              {},
              h('input', {
                type: 'checkbox',
                class: 'lock',
                'data-shift': c.shift,
                'data-members': c.members.join(','),
                checked: locked,
              }),
              ' lock',
            )
          : locked
            ? 'locked'
            : '',
      ),
    );

  const show = async (id: string): Promise<void> => {
    clearTimeout(timer);
    const p = await api<PlanView>('GET', `/plans/${id}`);
    if (p.status === 'solving') {
      const pr = p.progress;
      detail.replaceChildren(
        h(
          'div',
          { class: 'card' },
          h(
            'p',
            {},
            `Solving… ${pr?.phase ?? 'starting'} ${pr?.shiftsTotal ? `${pr.shiftsDone}/${pr.shiftsTotal} shifts` : ''}`,
          ),
          h(
            'button',
            {
              class: 'secondary',
              onclick: () =>
                void api('POST', `/plans/${id}/cancel`)
                  .then(() => show(id))
                  .catch(fail),
            },
            'Cancel',
          ),
        ),
      );
      timer = setTimeout(() => void show(id).catch(fail), 500);
      return;
    }
    void refreshList().catch(fail);
    if (!p.plan) {
      detail.replaceChildren(
        h('div', { class: 'card' }, h('p', { class: 'error' }, `${p.status}: ${p.error?.message ?? ''}`)),
      );
      return;
    }
    const plan = p.plan;
    const lockKeys = new Set(p.locks.map((l) => `${l.shift}:${[...l.members].sort().join('+')}`));
    const byShift = new Map<string, PlanCrew[]>();
    for (const c of plan.crews) byShift.set(c.shift, [...(byShift.get(c.shift) ?? []), c]);
    const reason = h('input', { name: 'reason', placeholder: 'reason (needed to change a published roster)' });
    const actions =
      p.status === 'draft'
        ? h(
            'p',
            {},
            h('button', { id: 'resolve', onclick: () => void resolve(p).catch(fail) }, 'Save locks and re-solve'),
            ' ',
            reason,
            ' ',
            h(
              'button',
              {
                id: 'publish',
                onclick: () =>
                  void api('POST', `/plans/${p.id}/publish`, reason.value ? { reason: reason.value } : {})
                    .then(() => show(p.id))
                    .catch(fail),
              },
              'Publish',
            ),
          )
        : h(
            'p',
            { class: 'muted' },
            p.publishedBy
              ? `Published by ${p.publishedBy} at ${new Date(p.publishedAt!).toLocaleString('en-GB', { timeZone: 'Europe/London' })}${p.publishReason ? ` — ${p.publishReason}` : ''}`
              : '',
          );
    detail.replaceChildren(
      h(
        'div',
        { class: 'card' },
        h(
          'h3',
          {},
          `Plan for ${p.unit.level} ${p.unit.id}, ${p.from} → ${p.to} `,
          h('span', { class: 'pill' }, p.status),
          p.revision ? ` revision ${p.revision}` : '',
        ),
        h(
          'p',
          { id: 'plan-stats' },
          `${plan.status}: ${plan.stats.crews} crews (${plan.stats.pairs} pairs, ${plan.stats.singles} singles), ${plan.stats.taserCrews} with Taser, ` +
            `${plan.stats.pairsWithoutCarrier} pairs without a carrier, ${plan.stats.unassigned} unassigned, ${plan.stats.devicesUsed} devices, solved in ${Math.round(plan.stats.solveMs)} ms`,
        ),
        actions,
        h(
          'p',
          {},
          h(
            'a',
            { href: `/api/plans/${p.id}/export`, onclick: download(`/plans/${p.id}/export`, `plan-${p.id}.json`) },
            'Export plan JSON',
          ),
          ' · ',
          h(
            'a',
            {
              href: `/api/plans/${p.id}/scenario`,
              onclick: download(`/plans/${p.id}/scenario`, `scenario-${p.id}.json`),
            },
            'Export scenario JSON',
          ),
        ),
        (plan.explanations ?? []).length
          ? h(
              'p',
              { class: 'error' },
              `${new Set((plan.explanations ?? []).map((x) => x.shift)).size} shifts fall short of cover: why, and what would fix it, is under each shift.`,
            )
          : h('p', { class: 'muted' }, 'Every pair has a carrier and every officer on duty is crewed.'),
      ),
      ...[...byShift].map(([shift, crews]) =>
        h(
          'div',
          { class: 'card shift', 'data-shift': shift },
          h('h4', {}, shift),
          ...(plan.explanations ?? [])
            .filter((x) => x.shift === shift)
            .map((x) =>
              h(
                'div',
                { class: 'explanation' },
                h('strong', {}, x.message),
                h('ul', {}, ...x.suggestions.map((s) => h('li', {}, s.message))),
              ),
            ),
          h(
            'table',
            {},
            h('thead', {}, h('tr', {}, h('th', {}, 'Crew'), h('th', {}, 'Carriers'), h('th', {}, ''))),
            h(
              'tbody',
              {},
              ...crews.map((c) => crewRow(p, c, lockKeys.has(`${c.shift}:${[...c.members].sort().join('+')}`))),
            ),
          ),
          ...plan.unassigned
            .filter((u) => u.shift === shift)
            .map((u) => h('p', { class: 'error' }, `${u.officer} unassigned: ${u.reason}`)),
        ),
      ),
    );
  };

  const resolve = async (p: PlanView) => {
    const locks = Array.from(detail.querySelectorAll<HTMLInputElement>('input.lock:checked'), (el) => ({
      shift: el.dataset.shift!,
      members: el.dataset.members!.split(','),
    }));
    await api('PUT', `/plans/${p.id}/locks`, { locks });
    const next = await api<PlanView>('POST', `/plans/${p.id}/resolve`, {});
    await show(next.id);
  };

  const download = (path: string, name: string) => (ev: Event) => {
    ev.preventDefault();
    void api<unknown>('GET', path)
      .then((data) => {
        const a = h('a', {
          href: URL.createObjectURL(new Blob([JSON.stringify(data, null, 2)], { type: 'application/json' })),
          download: name,
        });
        a.click();
      })
      .catch(fail);
  };

  const start = (ev: Event) => {
    ev.preventDefault();
    const [level, id] = unit.value.split(':') as [string, string];
    status.textContent = 'Starting…';
    status.className = 'muted';
    api<PlanView>('POST', '/plans', {
      unit: { level, id },
      from: from.value,
      to: to.value,
      policy: { name: policy.value },
    })
      .then((p) => {
        status.textContent = '';
        return show(p.id);
      })
      .catch(fail);
  };

  api<Org>('GET', '/org')
    .then((org) => {
      unit.replaceChildren(
        ...org.boroughs.map((b) => h('option', { value: `borough:${b.id}` }, `Borough: ${b.name}`)),
        ...org.stations.map((s) => h('option', { value: `station:${s.id}` }, `Station: ${s.name}`)),
      );
      return refreshList();
    })
    .catch(fail);

  const canWrite = ['planner', 'admin'].includes(session.user()?.role ?? '');
  return h(
    'section',
    {},
    h('h2', {}, 'Crew plans'),
    canWrite
      ? h(
          'form',
          { class: 'card', id: 'new-plan', onsubmit: start },
          h('label', {}, 'Unit', unit),
          h('label', {}, 'From', from),
          h('label', {}, 'To', to),
          h('label', {}, 'Policy', policy),
          h('button', { type: 'submit' }, 'Build crews'),
        )
      : h('p', { class: 'muted' }, 'You can read plans; planners build them.'),
    status,
    h(
      'table',
      { id: 'plans' },
      h('thead', {}, h('tr', {}, ...['Unit', 'Dates', 'Status', 'Cover', ''].map((t) => h('th', {}, t)))),
      list,
    ),
    detail,
  );
}
