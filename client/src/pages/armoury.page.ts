import type { Page } from '../../../shared/schemas/common.schema.js';
import type { CustodyEvent } from '../../../shared/schemas/custody.schema.js';
import { api, ApiError } from '../api.js';
import { h } from '../dom.js';

const time = (iso: string) =>
  new Date(iso).toLocaleString('en-GB', { timeZone: 'Europe/London', dateStyle: 'short', timeStyle: 'short' });

/**
 * The armourer's counter: issue a device to an officer (refused, with the reason, when the officer or the
 * device may not), receive it back (with a fault if found), and the latest custody records.
 */
export function armouryPage(): HTMLElement {
  const result = h('p', { id: 'armoury-result', role: 'status' });
  const trail = h('tbody');
  const show = (ok: boolean, text: string) => {
    result.textContent = text;
    result.className = ok ? 'good' : 'error';
  };
  const refresh = async () => {
    const page = await api<Page<CustodyEvent>>('GET', '/custody/events?pageSize=15');
    trail.replaceChildren(
      ...page.items.map((e) =>
        h(
          'tr',
          {},
          h('td', {}, time(e.at)),
          h('td', {}, e.kind.replace('_', ' ')),
          h('td', {}, e.device),
          h('td', {}, e.officer ?? ''),
          h('td', {}, e.callSign ?? ''),
          h('td', {}, `${e.fromState} → ${e.toState}`),
          h('td', {}, e.by),
          h('td', {}, e.note ?? ''),
        ),
      ),
    );
  };
  const act = (path: string, body: Record<string, string>, done: string) =>
    api('POST', path, body).then(
      () => {
        show(true, done);
        return refresh();
      },
      (e: unknown) =>
        show(false, e instanceof ApiError ? `Refused: ${e.message} (${e.id})` : 'Could not reach the server.'),
    );

  const issueDevice = h('input', { name: 'issue-device', placeholder: 'X2-004417', required: true });
  const issueOfficer = h('input', { name: 'issue-officer', placeholder: 'PC1234', required: true });
  const returnDevice = h('input', { name: 'return-device', placeholder: 'X2-004417', required: true });
  const returnFault = h('input', { name: 'return-fault', placeholder: 'fault found (optional)' });
  const norm = (el: HTMLInputElement) => el.value.trim().toUpperCase();

  const issue = h(
    'form',
    { class: 'card row', id: 'issue' },
    h('strong', {}, 'Issue'),
    h('label', {}, 'Device serial', issueDevice),
    h('label', {}, 'Officer collar', issueOfficer),
    h('button', { type: 'submit' }, 'Issue'),
  );
  issue.addEventListener('submit', (ev) => {
    ev.preventDefault();
    void act(
      '/custody/issue',
      { device: norm(issueDevice), officer: norm(issueOfficer) },
      `Issued ${norm(issueDevice)} to ${norm(issueOfficer)}.`,
    );
  });
  const receive = h(
    'form',
    { class: 'card row', id: 'return' },
    h('strong', {}, 'Return'),
    h('label', {}, 'Device serial', returnDevice),
    h('label', {}, 'Fault', returnFault),
    h('button', { type: 'submit' }, 'Receive back'),
  );
  receive.addEventListener('submit', (ev) => {
    ev.preventDefault();
    const fault = returnFault.value.trim();
    void act(
      '/custody/return',
      { device: norm(returnDevice), ...(fault ? { fault } : {}) },
      `Received ${norm(returnDevice)}${fault ? ' as faulty' : ''}.`,
    );
  });
  refresh().catch(() => show(false, 'Could not load the custody records.'));
  return h(
    'section',
    {},
    h('h2', {}, 'Armoury'),
    issue,
    receive,
    result,
    h('h3', {}, 'Latest custody records'),
    h(
      'table',
      { id: 'custody-trail' },
      h(
        'thead',
        {},
        h('tr', {}, ...['When', 'What', 'Device', 'Officer', 'Unit', 'State', 'By', 'Note'].map((t) => h('th', {}, t))),
      ),
      trail,
    ),
  );
}
