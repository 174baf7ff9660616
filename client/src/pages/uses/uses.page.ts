import { html, nothing } from 'lit-html';
import type { Page as ApiPage } from '../../../../shared/schemas/common.schema.js';
import type { CustodyEvent } from '../../../../shared/schemas/custody.schema.js';
import {
  AGE_BANDS,
  GENDERS,
  ImpactFactorSchema,
  InjurySchema,
  PERCEIVED_ETHNICITIES,
  USE_LEVELS,
  UseOutcomeSchema,
  type UseInput,
  type UseLevel,
  type UseRecord,
  type UseVersion,
} from '../../../../shared/schemas/taser-use.schema.js';
import { isDischarge } from '../../../../shared/rules/taser-use.js';
import { api, errorText, isAbort } from '../../api.js';
import { fmtDateTime, nowLocal } from '../../format.js';
import { recordTable } from '../../tables.js';
import { definePage, type Page } from '../../page.js';
import { userCan } from '../admin/admin-kit.js';
import { LEVEL_LABEL, quarterSelect, recentQuarters, useTabs, words } from './uses-kit.js';

/** A text field of a form (files are not asked for). */
const text = (f: FormData, k: string): string => {
  const v = f.get(k);
  return typeof v === 'string' ? v.trim() : '';
};

const options = (values: readonly string[], label: (v: string) => string = words) =>
  values.map((v) => html`<option value=${v}>${label(v)}</option>`);

/** A required choice with nothing chosen at first: a hurried record must not take the first value unseen. */
const select = (name: string, text: string, values: readonly string[], label?: (v: string) => string) =>
  html`<label
    >${text}<select name=${name} required>
      <option value="" selected>Choose…</option>
      ${options(values, label)}
    </select></label
  >`;

/**
 * Taser use records (borough lead and admin, who record on an officer's behalf): record a use, list the uses in
 * scope, open one for its history, raise it to a higher use, review or reopen it.
 */
export function usesPage(): Page {
  return definePage((ctx) => {
    let items: UseRecord[] = [];
    let listNote = 'Loading…';
    let formNote = '';
    let formFailed = false;
    let held: { device: string; label: string }[] = [];
    let open: { use: UseRecord; history: UseVersion[] } | null = null;
    let openNote = '';
    let openFailed = false;
    let discharge = false;
    const mayReview = userCan('use_reviews', 'write');
    const mayRecord = userCan('uses', 'write');

    // The list's period: a financial-year quarter, or every quarter ('').
    const quarters = recentQuarters(new Date());
    let listQuarter = '';
    let listAsked = 0;
    const loadList = () => {
      const mine = ++listAsked;
      const q = listQuarter ? `&quarter=${encodeURIComponent(listQuarter)}` : '';
      return api<ApiPage<UseRecord>>('GET', `/uses?pageSize=100${q}`, undefined, ctx.signal).then(
        (p) => {
          if (mine !== listAsked) return;
          items = p.items;
          listNote =
            items.length === 0
              ? listQuarter
                ? `No use recorded in ${listQuarter}.`
                : 'No use recorded yet.'
              : p.total > items.length
                ? `The latest ${items.length} of ${p.total}.`
                : '';
          ctx.update();
        },
        (e: unknown) => {
          if (isAbort(e)) return;
          listNote = `Could not load the uses: ${errorText(e)}`;
          ctx.update();
        },
      );
    };
    void loadList();

    /** The devices the officer was issued recently (from the custody log), for the device type-ahead. */
    const officerChanged = (ev: Event) => {
      const collar = (ev.currentTarget as HTMLInputElement).value.trim().toUpperCase();
      held = [];
      if (!/^[A-Z0-9]{2,12}$/.test(collar)) return ctx.update();
      api<ApiPage<CustodyEvent>>(
        'GET',
        `/custody/events?officer=${encodeURIComponent(collar)}&pageSize=20`,
        undefined,
        ctx.signal,
      ).then(
        (p) => {
          const seen = new Set<string>();
          held = p.items
            .filter((e) => e.kind === 'issue' && !seen.has(e.device) && seen.add(e.device))
            .map((e) => ({
              device: e.device,
              label: `issued ${fmtDateTime(e.at)}${e.callSign ? `, ${e.callSign}` : ''}`,
            }));
          ctx.update();
        },
        () => undefined,
      );
    };

    const submit = (ev: Event) => {
      ev.preventDefault();
      const form = ev.currentTarget as HTMLFormElement;
      const f = new FormData(form);
      const s = (k: string) => text(f, k);
      const highest = s('highest') as UseLevel;
      const input: UseInput = {
        officer: s('officer').toUpperCase(),
        device: s('device').toUpperCase(),
        date: s('date'),
        time: s('time'),
        location: s('location'),
        postcodeDistrict: s('postcodeDistrict').toUpperCase(),
        subjectRef: { incident: s('incident'), subject: Number(s('subject') || '1') },
        highest,
        ...(isDischarge(highest) ? { cartridges: Number(s('cartridges') || '0') } : {}),
        ageBand: s('ageBand') as UseInput['ageBand'],
        gender: s('gender') as UseInput['gender'],
        ethnicity: s('ethnicity') as UseInput['ethnicity'],
        impactFactor: s('impactFactor') as UseInput['impactFactor'],
        subjectInjury: s('subjectInjury') as UseInput['subjectInjury'],
        officerInjury: s('officerInjury') as UseInput['officerInjury'],
        outcome: s('outcome') as UseInput['outcome'],
        bodyWornVideo: f.get('bodyWornVideo') === 'on',
        ...(s('exceptionReason') ? { exceptionReason: s('exceptionReason') } : {}),
      };
      formNote = 'Saving…';
      formFailed = false;
      ctx.update();
      api<UseRecord>('POST', '/uses', input, ctx.signal).then(
        (r) => {
          formNote = `Recorded: ${r.officer}, ${LEVEL_LABEL[r.highest].toLowerCase()}, ${r.quarter}${r.exception ? ' (exception)' : ''}.`;
          form.reset();
          discharge = false;
          void loadList();
          void show(r.id);
        },
        (e: unknown) => {
          if (isAbort(e)) return;
          formFailed = true;
          formNote = `Not recorded: ${errorText(e)}`;
          ctx.update();
        },
      );
    };

    const show = (id: string) =>
      api<{ use: UseRecord; history: UseVersion[] }>('GET', `/uses/${id}`, undefined, ctx.signal).then(
        (r) => {
          open = r;
          ctx.update();
        },
        (e: unknown) => {
          if (isAbort(e)) return;
          openFailed = true;
          openNote = errorText(e);
          ctx.update();
        },
      );

    const act = (path: string, method: string, body: unknown, done: string) => {
      const id = open!.use.id;
      api<UseRecord>(method, `/uses/${id}${path}`, body, ctx.signal).then(
        () => {
          openFailed = false;
          openNote = done;
          void loadList();
          void show(id);
        },
        (e: unknown) => {
          if (isAbort(e)) return;
          openFailed = true;
          openNote = errorText(e);
          ctx.update();
        },
      );
    };
    const noteOf = (ev: Event) => text(new FormData((ev.currentTarget as HTMLElement).closest('form')!), 'note');
    const raise = (ev: Event) => {
      ev.preventDefault();
      const f = new FormData(ev.currentTarget as HTMLFormElement);
      const highest = text(f, 'highest') as UseLevel;
      act(
        '',
        'PATCH',
        { highest, ...(isDischarge(highest) ? { cartridges: Number(text(f, 'cartridges') || '0') } : {}) },
        'Changed.',
      );
    };

    const now = nowLocal();
    const detail = (u: UseRecord, history: UseVersion[]) =>
      html`<div class="card" id="use-detail">
        <h3>${u.officer}: ${LEVEL_LABEL[u.highest]} (${u.status})</h3>
        <p>
          ${fmtDateTime(u.at)}, ${u.location} (${u.postcodeDistrict}); incident ${u.subjectRef.incident}, subject
          ${u.subjectRef.subject}; device
          ${u.device}${u.callSign ? `, ${u.callSign}` : ''}${
            u.cartridges ? `; ${u.cartridges} cartridge(s)` : ''
          }${u.exception ? html`; <strong>exception:</strong> ${u.exceptionReason}` : ''}
        </p>
        <h4>History</h4>
        <ul class="history">
          ${history.map(
            (h) =>
              html`<li>
                v${h.version} ${h.action} by ${h.by}, ${fmtDateTime(h.at)}:
                ${LEVEL_LABEL[h.record.highest]}${h.note ? ` — ${h.note}` : ''}
              </li>`,
          )}
        </ul>
        ${
          u.status !== 'reviewed'
            ? html`<form class="row" @submit=${raise} aria-label="Change the highest use">
                <label
                  >Highest use
                  <select name="highest">
                    ${USE_LEVELS.map(
                      (l) => html`<option value=${l} ?selected=${l === u.highest}>${LEVEL_LABEL[l]}</option>`,
                    )}
                  </select></label
                >
                <label>Cartridges (discharge) <input name="cartridges" type="number" min="1" max="10" /></label>
                <button type="submit" class="secondary">Save change</button>
              </form>`
            : nothing
        }
        ${
          mayReview
            ? html`<form class="row" @submit=${(e: Event) => e.preventDefault()} aria-label="Review">
                <label>Note <input name="note" maxlength="500" /></label>
                ${
                  u.status === 'reviewed'
                    ? html`<button
                        type="button"
                        @click=${(e: Event) => act('/reopen', 'POST', { note: noteOf(e) || undefined }, 'Reopened.')}
                      >
                        Reopen
                      </button>`
                    : html`<button
                        type="button"
                        @click=${(e: Event) => {
                          const note = noteOf(e);
                          act('/review', 'POST', note ? { note } : {}, 'Reviewed.');
                        }}
                      >
                        Mark reviewed
                      </button>`
                }
              </form>`
            : nothing
        }
        <p class=${openFailed ? 'error' : 'muted'} role="status">${openNote}</p>
      </div>`;

    return () =>
      html`${useTabs('uses')}
        <h2>Taser use</h2>
        ${
          mayRecord
            ? html`<form class="card admin-form" id="use-form" @submit=${submit} aria-label="Record a use">
                <h3>Record a use (on the officer's behalf)</h3>
                <div class="form-grid">
                  <label
                    >Officer (collar number)
                    <input name="officer" required autocomplete="off" @change=${officerChanged}
                  /></label>
                  <label
                    >Device (serial)
                    <input name="device" required list="held-devices" autocomplete="off" />
                    <datalist id="held-devices">
                      ${held.map((h) => html`<option value=${h.device}>${h.label}</option>`)}
                    </datalist></label
                  >
                  <label>Date <input name="date" type="date" required .value=${now.toISODate()!} /></label>
                  <label>Time <input name="time" type="time" required .value=${now.toFormat('HH:mm')} /></label>
                  <label>Location <input name="location" required maxlength="200" /></label>
                  <label>Postcode district <input name="postcodeDistrict" required placeholder="BR1" /></label>
                  <label>Incident (CAD) reference <input name="incident" required /></label>
                  <label
                    >Subject number <input name="subject" type="number" min="1" max="50" value="1" required
                  /></label>
                  <label
                    >Highest use
                    <select
                      name="highest"
                      required
                      @change=${(e: Event) => {
                        discharge = isDischarge((e.currentTarget as HTMLSelectElement).value as UseLevel);
                        ctx.update();
                      }}
                    >
                      ${USE_LEVELS.map((l) => html`<option value=${l}>${LEVEL_LABEL[l]}</option>`)}
                    </select></label
                  >
                  ${
                    discharge
                      ? html`<label
                          >Cartridges fired / contacts <input name="cartridges" type="number" min="1" max="10" required
                        /></label>`
                      : nothing
                  }
                  ${select('ageBand', 'Subject age', AGE_BANDS)} ${select('gender', 'Subject gender', GENDERS)}
                  ${select('ethnicity', 'Perceived ethnicity', PERCEIVED_ETHNICITIES)}
                  ${select('impactFactor', 'Impact factor', ImpactFactorSchema.options)}
                  ${select('subjectInjury', 'Subject injury', InjurySchema.options)}
                  ${select('officerInjury', 'Officer injury', InjurySchema.options)}
                  ${select('outcome', 'Outcome', UseOutcomeSchema.options)}
                  <label class="check"><input name="bodyWornVideo" type="checkbox" /> Body-worn video recorded</label>
                </div>
                <label
                  >Exception reason (only if custody does not show the officer holding this device)
                  <textarea name="exceptionReason" rows="2" maxlength="500"></textarea>
                </label>
                <div class="form-buttons"><button type="submit">Record use</button></div>
                <p class=${formFailed ? 'error' : 'muted'} role="status" id="use-form-status">${formNote}</p>
              </form>`
            : nothing
        }
        <h3>Uses in your area</h3>
        <div class="row">
          ${quarterSelect(
            'uses-quarter',
            quarters,
            listQuarter,
            (q) => {
              listQuarter = q;
              listNote = 'Loading…';
              ctx.update();
              void loadList();
            },
            'All quarters',
          )}
        </div>
        <p class="muted" role="status">${listNote}</p>
        ${
          items.length
            ? recordTable({
                id: 'uses-table',
                headers: [
                  'When',
                  'Officer',
                  'Device',
                  'Incident / subject',
                  'Highest use',
                  'Status',
                  html`<span class="visually-hidden">Open</span>`,
                ],
                contained: true,
                items,
                key: (u) => u.id,
                row: (u) =>
                  html`<tr data-use=${u.id}>
                    <td>${fmtDateTime(u.at)}</td>
                    <td>${u.officer}</td>
                    <td>${u.device}${u.exception ? ' (exception)' : ''}</td>
                    <td>${u.subjectRef.incident} / ${u.subjectRef.subject}</td>
                    <td>${LEVEL_LABEL[u.highest]}</td>
                    <td><span class="pill ${u.status === 'reviewed' ? 'good' : ''}">${u.status}</span></td>
                    <td>
                      <button
                        class="small secondary"
                        type="button"
                        aria-label="Open the use by ${u.officer} at ${fmtDateTime(u.at)}"
                        @click=${() => {
                          openNote = '';
                          void show(u.id);
                        }}
                      >
                        Open
                      </button>
                    </td>
                  </tr>`,
              })
            : nothing
        }
        ${open ? detail(open.use, open.history) : nothing}`;
  });
}
