import { html, nothing } from 'lit-html';
import { repeat } from 'lit-html/directives/repeat.js';
import { can } from '../../../shared/auth/permissions.js';
import type { Page as ListPage } from '../../../shared/schemas/common.schema.js';
import type { CustodyEvent } from '../../../shared/schemas/custody.schema.js';
import { api, errorText, isAbort, session } from '../api.js';
import { fmtDateTime } from '../format.js';
import { definePage, type Page } from '../page.js';

const field = (form: FormData, name: string): string => ((form.get(name) as string | null) ?? '').trim();
const serial = (form: FormData, name: string): string => field(form, name).toUpperCase();

/**
 * The armourer's counter: issue a device to an officer (refused, with the reason, when the officer or the
 * device may not), receive it back (with a fault if found), and the latest custody records of the user's unit.
 */
export function armouryPage(): Page {
  return definePage(
    (ctx) => {
      const user = session.user()!;
      const mayWrite = can(user.role, 'custody', 'write');
      let events: CustodyEvent[] = [];
      let trailNote = 'Loading…';
      let trailFailed = false;
      let result: { ok: boolean; text: string } | null = null;

      // The trail of the user's own unit: a force-wide user sees it all, anyone else only their scope.
      const scopeQuery =
        user.scope.level === 'force' ? '' : `&${user.scope.level}=${encodeURIComponent(user.scope.id)}`;
      const refresh = async () => {
        const page = await api<ListPage<CustodyEvent>>(
          'GET',
          `/custody/events?pageSize=15${scopeQuery}`,
          undefined,
          ctx.signal,
        );
        events = page.items;
        trailNote = page.total === 0 ? 'No custody records yet.' : '';
        trailFailed = false;
        ctx.update();
      };
      const loadTrail = () =>
        refresh().catch((e: unknown) => {
          if (isAbort(e)) return;
          trailNote = `Could not load the custody records: ${errorText(e)}`;
          trailFailed = true;
          ctx.update();
        });
      if (can(user.role, 'custody', 'read')) void loadTrail();

      const act = (path: string, body: Record<string, string>, done: string) =>
        api('POST', path, body, ctx.signal).then(
          () => {
            result = { ok: true, text: done };
            ctx.update();
            return loadTrail();
          },
          (e: unknown) => {
            if (isAbort(e)) return;
            result = { ok: false, text: `Refused: ${errorText(e)}` };
            ctx.update();
          },
        );

      const issue = (ev: SubmitEvent) => {
        ev.preventDefault();
        const f = new FormData(ev.currentTarget as HTMLFormElement);
        const device = serial(f, 'issue-device');
        const officer = serial(f, 'issue-officer');
        void act('/custody/issue', { device, officer }, `Issued ${device} to ${officer}.`);
      };
      const receive = (ev: SubmitEvent) => {
        ev.preventDefault();
        const f = new FormData(ev.currentTarget as HTMLFormElement);
        const device = serial(f, 'return-device');
        const fault = field(f, 'return-fault');
        void act(
          '/custody/return',
          { device, ...(fault ? { fault } : {}) },
          `Received ${device}${fault ? ' as faulty' : ''}.`,
        );
      };

      return () =>
        html`<h2>Armoury</h2>
          ${
            mayWrite
              ? html`<form class="card row" id="issue" @submit=${issue}>
                    <strong>Issue</strong>
                    <label
                      >Device serial
                      <input name="issue-device" placeholder="X2-004417" autocomplete="off" required />
                    </label>
                    <label
                      >Officer collar <input name="issue-officer" placeholder="PC1234" autocomplete="off" required />
                    </label>
                    <button type="submit">Issue</button>
                  </form>
                  <form class="card row" id="return" @submit=${receive}>
                    <strong>Return</strong>
                    <label
                      >Device serial
                      <input name="return-device" placeholder="X2-004417" autocomplete="off" required />
                    </label>
                    <label
                      >Fault <input name="return-fault" placeholder="fault found (optional)" autocomplete="off"
                    /></label>
                    <button type="submit">Receive back</button>
                  </form>`
              : nothing
          }
          <p id="armoury-result" role="status" class=${result ? (result.ok ? 'good' : 'error') : ''}>
            ${result?.text ?? ''}
          </p>
          <h3>Latest custody records</h3>
          ${trailNote ? html`<p class=${trailFailed ? 'error' : 'muted'}>${trailNote}</p>` : nothing}
          <div class="table-wrap">
            <table id="custody-trail">
              <thead>
                <tr>
                  <th>When</th>
                  <th>What</th>
                  <th>Device</th>
                  <th>Officer</th>
                  <th>Unit</th>
                  <th>State</th>
                  <th>By</th>
                  <th>Note</th>
                </tr>
              </thead>
              <tbody>
                ${repeat(
                  events,
                  (e) => e.id,
                  (e) =>
                    html`<tr data-event=${e.id}>
                      <td>${fmtDateTime(e.at)}</td>
                      <td>${e.kind.replace('_', ' ')}</td>
                      <td>${e.device}</td>
                      <td>${e.officer ?? ''}</td>
                      <td>${e.callSign ?? ''}</td>
                      <td>${e.fromState} → ${e.toState}</td>
                      <td>${e.by}</td>
                      <td>${e.note ?? ''}</td>
                    </tr>`,
                )}
              </tbody>
            </table>
          </div>`;
    },
    { id: 'armoury' },
  );
}
