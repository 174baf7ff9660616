import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { createEventBus } from '../../server/events/domain-events.js';
import { localChannel } from '../../server/live/channel.js';
import { createLiveState, type LiveState } from '../../server/live/read-model.js';
import { liveSnapshotRepository } from '../../server/live/snapshot.repository.js';
import { createSnapshots } from '../../server/live/snapshots.js';
import { LIVE_NOW } from './helpers/live-client.js';
import { publishEarlyCrews, type StationFixture } from './helpers/live-fixtures.js';
import { call, loginAs, startTestServer, stopOwnStore, type TestServer } from './helpers/test-server.js';

let now = LIVE_NOW; // 10:00 GMT on Sunday 22 November 2026, the early shift running
let server: TestServer;
let lead: string;
let armourer: string;
let admin: string;
let planner: string;
let oversight: string;
let br: StationFixture;
let a: { officer: string; device: string };
let b: { officer: string; device: string };
let spare: string;

const use = (over: Record<string, unknown> = {}) => ({
  officer: a.officer,
  device: a.device,
  date: '2026-11-22',
  time: '10:15',
  location: 'High Street, outside the station',
  postcodeDistrict: 'BR1',
  subjectRef: { incident: 'CAD-1001', subject: 1 },
  highest: 'drawn',
  ageBand: '18_34',
  gender: 'male',
  ethnicity: 'white',
  impactFactor: 'none',
  subjectInjury: 'none',
  officerInjury: 'none',
  outcome: 'arrested',
  bodyWornVideo: true,
  ...over,
});

before(async () => {
  server = await startTestServer({ clock: () => now });
  [lead, armourer, admin, planner, oversight] = (await Promise.all(
    ['lead.bromley', 'armourer.bromley', 'admin', 'planner.bromley', 'oversight'].map((u) => loginAs(server, u)),
  )) as [string, string, string, string, string];
  const control = await loginAs(server, 'control.south');
  br = (await publishEarlyCrews(server, control, admin)).get('BR')!;
  [a, b] = br.carriers as [typeof a, typeof b];
  for (const c of [a, b]) {
    const r = await call(server, 'POST', '/custody/issue', { token: armourer, body: c });
    assert.equal(r.status, 201, JSON.stringify(r.body));
  }
  spare = br.freeDevices.find((d) => !br.carriers.some((c) => c.device === d.serial))!.serial;
  now = new Date('2026-11-22T10:30:00Z');
});
after(async () => {
  await server.stop();
  await stopOwnStore();
});

const record = (token: string, body: Record<string, unknown>) => call(server, 'POST', '/uses', { token, body });

describe('recording a use of Taser', () => {
  it('records a use on the device the officer held, with the shift and call sign taken from custody', async () => {
    const r = await record(lead, use());
    assert.equal(r.status, 201, JSON.stringify(r.body));
    const crew = br.crews.find((c) => c.members.includes(a.officer))!;
    assert.equal(r.body.at, '2026-11-22T10:15:00.000Z');
    assert.equal(r.body.shift, br.shift.id);
    assert.equal(r.body.callSign, crew.callSign);
    assert.equal(r.body.borough, 'BROM');
    assert.equal(r.body.quarter, '2026-27 Q3');
    assert.equal(r.body.status, 'submitted');
    assert.equal(r.body.exception, false);
    assert.equal(r.body.recordedBy, 'lead.bromley');
  });

  it('refuses a use on a device the officer did not hold (device_not_held), naming who held it', async () => {
    const other = await record(lead, use({ device: b.device, subjectRef: { incident: 'CAD-1002', subject: 1 } }));
    assert.equal(other.status, 422);
    assert.equal(other.body.error.id, 'device_not_held');
    assert.equal(other.body.error.details.heldBy, b.officer);
    const unissued = await record(lead, use({ device: spare, subjectRef: { incident: 'CAD-1002', subject: 1 } }));
    assert.equal(unissued.status, 422);
    assert.equal(unissued.body.error.id, 'device_not_held');
    // Before the device was issued (09:30, it was issued at 10:00) it was not held either.
    const early = await record(lead, use({ time: '09:30', subjectRef: { incident: 'CAD-1002', subject: 1 } }));
    assert.equal(early.body.error?.id, 'device_not_held');
  });

  it('lets a supervisor record it as an exception with a reason', async () => {
    const r = await record(
      lead,
      use({
        device: spare,
        subjectRef: { incident: 'CAD-1003', subject: 1 },
        exceptionReason: 'Borrowed from a colleague at the scene; custody not updated',
      }),
    );
    assert.equal(r.status, 201, JSON.stringify(r.body));
    assert.equal(r.body.exception, true);
    assert.equal(r.body.shift, null);
    assert.match(r.body.exceptionReason, /Borrowed/);
  });

  it('makes two records where two officers used Taser on one subject, and refuses a second for the same officer', async () => {
    const subjectRef = { incident: 'CAD-2001', subject: 1 };
    const one = await record(lead, use({ subjectRef, highest: 'aimed' }));
    const two = await record(lead, use({ officer: b.officer, device: b.device, subjectRef, highest: 'red_dot' }));
    assert.equal(one.status, 201, JSON.stringify(one.body));
    assert.equal(two.status, 201, JSON.stringify(two.body));
    assert.notEqual(one.body.id, two.body.id);
    const again = await record(lead, use({ subjectRef, highest: 'fired', cartridges: 1 }));
    assert.equal(again.status, 409);
    assert.equal(again.body.error.id, 'use_already_recorded');
    assert.equal(again.body.error.details.id, one.body.id);
  });

  it('raises a record from drawn to fired by an edit, keeping every version in its history', async () => {
    const drawn = await record(lead, use({ subjectRef: { incident: 'CAD-3001', subject: 1 } }));
    assert.equal(drawn.status, 201);
    const noCartridges = await call(server, 'PATCH', `/uses/${drawn.body.id}`, {
      token: lead,
      body: { highest: 'fired' },
    });
    assert.equal(noCartridges.status, 422);
    assert.equal(noCartridges.body.error.id, 'cartridges_required');
    const fired = await call(server, 'PATCH', `/uses/${drawn.body.id}`, {
      token: lead,
      body: { highest: 'fired', cartridges: 1 },
    });
    assert.equal(fired.status, 200, JSON.stringify(fired.body));
    assert.equal(fired.body.highest, 'fired');
    assert.equal(fired.body.version, 2);
    const one = await call(server, 'GET', `/uses/${drawn.body.id}`, { token: lead });
    assert.deepEqual(
      one.body.history.map((h: { version: number; action: string; record: { highest: string } }) => [
        h.version,
        h.action,
        h.record.highest,
      ]),
      [
        [1, 'recorded', 'drawn'],
        [2, 'edited', 'fired'],
      ],
    );
  });

  it('refuses cartridges on a non-discharge and a use still to come', async () => {
    const c = await record(lead, use({ subjectRef: { incident: 'CAD-4001', subject: 1 }, cartridges: 1 }));
    assert.equal(c.body.error?.id, 'cartridges_not_applicable');
    const f = await record(lead, use({ subjectRef: { incident: 'CAD-4001', subject: 1 }, time: '10:45' }));
    assert.equal(f.body.error?.id, 'use_in_future');
    const bad = await record(lead, use({ subjectRef: { incident: 'CAD-4001', subject: 1 }, highest: 'tasered' }));
    assert.equal(bad.status, 400);
  });

  it('is reviewed by a supervisor, then locked until reopened with a reason', async () => {
    const r = await record(lead, use({ subjectRef: { incident: 'CAD-5001', subject: 1 }, highest: 'arced' }));
    const id = r.body.id as string;
    const reviewed = await call(server, 'POST', `/uses/${id}/review`, { token: admin, body: { note: 'BWV seen' } });
    assert.equal(reviewed.status, 200, JSON.stringify(reviewed.body));
    assert.equal(reviewed.body.status, 'reviewed');
    assert.equal(reviewed.body.reviewedBy, 'admin');
    const twice = await call(server, 'POST', `/uses/${id}/review`, { token: admin, body: {} });
    assert.equal(twice.body.error?.id, 'use_already_reviewed');
    const edit = await call(server, 'PATCH', `/uses/${id}`, { token: lead, body: { outcome: 'other' } });
    assert.equal(edit.status, 409);
    assert.equal(edit.body.error.id, 'use_reviewed');
    const noReason = await call(server, 'POST', `/uses/${id}/reopen`, { token: lead, body: {} });
    assert.equal(noReason.status, 400);
    assert.equal(noReason.body.error.id, 'note_required');
    const reopened = await call(server, 'POST', `/uses/${id}/reopen`, {
      token: lead,
      body: { note: 'Outcome was wrong' },
    });
    assert.equal(reopened.body.status, 'reopened');
    const edited = await call(server, 'PATCH', `/uses/${id}`, { token: lead, body: { outcome: 'other' } });
    assert.equal(edited.status, 200);
    const history = await call(server, 'GET', `/uses/${id}`, { token: lead });
    assert.deepEqual(
      history.body.history.map((h: { action: string; by: string }) => `${h.action}:${h.by}`),
      ['recorded:lead.bromley', 'reviewed:admin', 'reopened:lead.bromley', 'edited:lead.bromley'],
    );
  });

  it('lists records in scope only, and keeps names from roles without the right', async () => {
    const list = await call(server, 'GET', '/uses?pageSize=200', { token: lead });
    assert.equal(list.status, 200);
    assert.ok(list.body.items.length >= 6);
    assert.ok(list.body.items.every((u: { borough: string }) => u.borough === 'BROM'));
    const croydon = await call(server, 'GET', '/uses?borough=CROY', { token: lead });
    assert.equal(croydon.status, 403);
    for (const token of [planner, armourer, oversight]) {
      const r = await call(server, 'GET', '/uses', { token });
      assert.equal(r.status, 403, JSON.stringify(r.body));
      assert.equal(r.body.error.id, 'forbidden_role');
      assert.equal((await record(token, use({ subjectRef: { incident: 'CAD-9', subject: 1 } }))).status, 403);
    }
  });
});

describe('the device check after a discharge, and the reconciliation', () => {
  const custody = (what: string, body: Record<string, unknown>) =>
    call(server, 'POST', `/custody/${what}`, { token: armourer, body });
  const reconciliation = (token = lead) => call(server, 'GET', '/reports/taser-use/reconciliation', { token });
  const deviceState = async (serial: string) =>
    (await call(server, 'GET', `/devices/${serial}`, { token: armourer })).body.state as string;

  it('sends a device discharged while issued for a check on its return, and refuses to issue it until checked', async () => {
    now = new Date('2026-11-22T10:30:00Z');
    const fired = await record(
      lead,
      use({
        officer: b.officer,
        device: b.device,
        time: '10:20',
        highest: 'fired',
        cartridges: 1,
        subjectRef: { incident: 'CAD-6001', subject: 1 },
      }),
    );
    assert.equal(fired.status, 201, JSON.stringify(fired.body));
    assert.equal(await deviceState(b.device), 'issued');

    now = new Date('2026-11-22T10:35:00Z');
    const back = await custody('return', { device: b.device });
    assert.equal(back.status, 200, JSON.stringify(back.body));
    assert.equal(back.body.device.state, 'needs_check');
    assert.equal(back.body.record.toState, 'needs_check');
    // a.device was raised to fired at 10:15 earlier: it too comes back for a check.
    assert.equal((await custody('return', { device: a.device })).body.device.state, 'needs_check');

    const reissue = await custody('issue', b);
    assert.equal(reissue.status, 409);
    assert.equal(reissue.body.error.id, 'device_needs_check');
    const open = await reconciliation();
    assert.equal(open.status, 200, JSON.stringify(open.body));
    assert.deepEqual(
      open.body.uncheckedDischarges.map((u: { device: string; at: string; highest: string }) => [
        u.device,
        u.at,
        u.highest,
      ]),
      [
        [b.device, '2026-11-22T10:20:00.000Z', 'fired'],
        [a.device, '2026-11-22T10:15:00.000Z', 'fired'],
      ],
    );

    now = new Date('2026-11-22T10:40:00Z');
    const wrong = await custody('repair', { device: a.device, action: 'send' });
    assert.equal(wrong.body.error?.id, 'invalid_device_transition');
    const checked = await custody('repair', { device: b.device, action: 'check', note: 'Cartridge bay clean' });
    assert.equal(checked.status, 200, JSON.stringify(checked.body));
    assert.equal(checked.body.record.kind, 'checked');
    assert.equal(checked.body.device.state, 'in_armoury');
    const twice = await custody('repair', { device: b.device, action: 'check' });
    assert.equal(twice.body.error?.id, 'invalid_device_transition');
    assert.deepEqual(
      (await reconciliation()).body.uncheckedDischarges.map((u: { device: string }) => u.device),
      [a.device],
    );
    assert.equal((await custody('issue', b)).status, 201);
  });

  it('lists a device returned as discharged with no use recorded for its holder in that custody period', async () => {
    now = new Date('2026-11-22T10:50:00Z');
    const back = await custody('return', { device: b.device, discharged: true });
    assert.equal(back.status, 200, JSON.stringify(back.body));
    assert.equal(back.body.device.state, 'needs_check');
    assert.equal(back.body.record.discharged, true);
    const r = await reconciliation();
    assert.deepEqual(r.body.dischargedReturnsWithoutUse, [
      {
        device: b.device,
        officer: b.officer,
        issuedAt: '2026-11-22T10:40:00.000Z',
        returnedAt: '2026-11-22T10:50:00.000Z',
        borough: 'BROM',
        station: 'BR',
      },
    ]);
    // Once the use is recorded (in that period), the return is reconciled; the discharge then awaits the check.
    const late = await record(
      lead,
      use({
        officer: b.officer,
        device: b.device,
        time: '10:45',
        highest: 'drive_stun',
        cartridges: 1,
        subjectRef: { incident: 'CAD-6002', subject: 1 },
      }),
    );
    assert.equal(late.status, 201, JSON.stringify(late.body));
    const after = await reconciliation();
    assert.deepEqual(after.body.dischargedReturnsWithoutUse, []);
    assert.ok(after.body.uncheckedDischarges.some((u: { use: string }) => u.use === late.body.id));
    for (const token of [armourer, oversight, planner]) assert.equal((await reconciliation(token)).status, 403);
  });

  it('keeps a device’s last check across a restart: a device checked since its discharges comes back to the armoury', async () => {
    now = new Date('2026-11-22T11:00:00Z');
    // b.device: discharges at 10:20 and 10:45, returned for a check at 10:50; checked now, issued again.
    assert.equal((await custody('repair', { device: b.device, action: 'check' })).status, 200);
    now = new Date('2026-11-22T11:05:00Z');
    assert.equal((await custody('issue', b)).status, 201);

    const dbName = server.dbName;
    await server.stop(); // a clean stop leaves a snapshot behind
    server = await startTestServer({ clock: () => now, dbName });
    armourer = await loginAs(server, 'armourer.bromley');
    lead = await loginAs(server, 'lead.bromley');
    const state = server.services.live.state;
    assert.equal((await server.services.live.snapshots.load()).from, 'snapshot');
    assert.equal(await state.lastCheck(b.device), '2026-11-22T11:00:00.000Z');
    assert.equal(await state.lastCheck(a.device), null);

    now = new Date('2026-11-22T11:10:00Z');
    const back = await custody('return', { device: b.device });
    assert.equal(back.status, 200, JSON.stringify(back.body));
    assert.equal(back.body.device.state, 'in_armoury');
    // a.device (fired at 10:15) was never checked: still awaiting it, b.device's discharges are checked.
    assert.equal(await deviceState(a.device), 'needs_check');
    assert.deepEqual(
      (await reconciliation()).body.uncheckedDischarges.map((u: { device: string; lastCheck: string | null }) => [
        u.device,
        u.lastCheck,
      ]),
      [[a.device, null]],
    );
  });

  it('reads a device’s last check from the log once when started from a snapshot of format 2, which lacks it', async () => {
    const entries = server.services.live.state.entries().map((x) => {
      if (x.k !== 'device') return x;
      const { lastCheck: _, ...c } = x.c;
      return { ...x, c };
    });
    assert.ok(entries.some((x) => x.k === 'device' && x.key === b.device));
    const takenAt = new Date().toISOString();
    await liveSnapshotRepository.write({ _id: `${takenAt}|old`, format: 2, takenAt, origin: 'old' }, entries);

    const ref = server.services.reference;
    const restarted = createLiveState({ ref, bus: createEventBus(), channel: localChannel() });
    const snapshots = createSnapshots({
      state: restarted,
      ref,
      clock: () => now,
      opts: { everyMs: 0, everyChanges: 1, origin: 'test' },
    });
    const report = await snapshots.load();
    assert.equal(report.snapshot, `${takenAt}|old`);
    const kept = (st: LiveState, serial: string) => {
      const x = st.entries().find((e) => e.k === 'device' && e.key === serial);
      return x?.k === 'device' ? x.c.lastCheck : 'no entry';
    };
    assert.equal(kept(restarted, b.device), undefined);
    assert.equal(await restarted.lastCheck(b.device), '2026-11-22T11:00:00.000Z');
    assert.equal(await restarted.lastCheck(a.device), null);
    // Kept once read, as the running read model has it.
    assert.deepEqual(kept(restarted, b.device), kept(server.services.live.state, b.device));
    assert.equal((kept(restarted, b.device) as { at: string }).at, '2026-11-22T11:00:00.000Z');
    assert.deepEqual(kept(restarted, a.device), null);
    restarted.stop();
  });
});

describe('the quarterly publication', () => {
  const quarterly = (token: string, query: string) =>
    call(server, 'GET', `/reports/taser-use/quarterly?${query}`, { token });
  const measure = (body: { boroughs: { borough: string; measures: Record<string, unknown> }[] }, m: string) =>
    body.boroughs.find((x) => x.borough === 'BROM')!.measures[m];

  before(async () => {
    // Spring 2027: a scripted quarter recorded as supervisor exceptions (no custody then), across the year end.
    now = new Date('2027-04-02T12:00:00Z');
    const officers = br.onDuty.map((o) => o.collar);
    const reason = 'Scripted quarter: device custody not recorded for this test';
    const scripted: Record<string, unknown>[] = [
      { officer: officers[0], incident: 'Q4-A', highest: 'fired', cartridges: 1, ethnicity: 'black' },
      { officer: officers[1], incident: 'Q4-A', highest: 'drawn', ethnicity: 'black' },
      { officer: officers[0], incident: 'Q4-B', highest: 'red_dot', gender: 'female', ageBand: '35_49' },
      { officer: officers[2], incident: 'Q4-C', highest: 'aimed' },
      { officer: officers[3], incident: 'Q4-D', highest: 'drawn', ageBand: '11_17' },
      { officer: officers[4], incident: 'Q4-E', highest: 'drawn' },
      // 23:30 on 31 March is BST (22:30 UTC): still the last quarter of 2026-27.
      {
        officer: officers[5],
        incident: 'Q4-F',
        highest: 'drawn',
        ethnicity: 'asian',
        date: '2027-03-31',
        time: '23:30',
      },
      // 00:15 on 1 April: the first quarter of 2027-28.
      { officer: officers[0], incident: 'Q1-G', highest: 'fired', cartridges: 2, date: '2027-04-01', time: '00:15' },
    ];
    const ids: string[] = [];
    for (const s of scripted) {
      const { incident, ...rest } = s;
      const r = await record(
        lead,
        use({
          date: '2027-02-10',
          time: '14:00',
          device: spare,
          exceptionReason: reason,
          ...rest,
          subjectRef: { incident, subject: 1 },
        }),
      );
      assert.equal(r.status, 201, JSON.stringify(r.body));
      ids.push(r.body.id as string);
    }
    // The spare device was in the armoury: the discharges recorded with it send it for a check at once.
    assert.equal((await call(server, 'GET', `/devices/${spare}`, { token: armourer })).body.state, 'needs_check');
    // Drawn, then raised to a drive-stun: counted once, as a discharge.
    const raised = await call(server, 'PATCH', `/uses/${ids[4]}`, {
      token: lead,
      body: { highest: 'drive_stun', cartridges: 1 },
    });
    assert.equal(raised.status, 200, JSON.stringify(raised.body));
  });

  it('counts a scripted quarter exactly, suppressing small numbers as <5 and what derives from them as [c]', async () => {
    const r = await quarterly(lead, 'quarter=2026-27%20Q4');
    assert.equal(r.status, 200, JSON.stringify(r.body));
    assert.equal(r.body.threshold, 5);
    assert.deepEqual([r.body.from, r.body.to], ['2027-01-01', '2027-03-31']);
    assert.deepEqual(
      r.body.boroughs.map((b: { borough: string }) => b.borough),
      ['BROM'],
    );
    const m = (k: string) => measure(r.body, k);
    assert.deepEqual(
      [
        'uses_total',
        'non_discharges',
        'discharges',
        'discharge_rate_pct',
        'uses_fired',
        'uses_drive_stun',
        'uses_drawn',
      ].map(m),
      [7, 5, '<5', '[c]', '<5', '<5', '<5'],
    );
    assert.equal(m('uses_arced'), 0);
    assert.equal(m('rate_per_1000_all'), 0.021); // 7 of 330,000 residents
    assert.equal(m('uses_gender_male'), 6);
  });

  it('publishes every count once the threshold is lowered in the force settings, with rates and disproportionality', async () => {
    const settings = await call(server, 'GET', '/force-settings', { token: admin });
    const put = await call(server, 'PUT', '/force-settings', {
      token: admin,
      body: { version: settings.body.version, smallNumberThreshold: 1 },
    });
    assert.equal(put.status, 200, JSON.stringify(put.body));
    const r = await quarterly(lead, 'quarter=2026-27%20Q4');
    const m = (k: string) => measure(r.body, k);
    assert.deepEqual(
      [
        'uses_total',
        'discharges',
        'discharge_rate_pct',
        'uses_fired',
        'uses_drive_stun',
        'uses_drawn',
        'uses_red_dot',
        'uses_aimed',
      ].map(m),
      [7, 2, 28.6, 1, 1, 3, 1, 1],
    );
    assert.deepEqual(['uses_ethnicity_white', 'uses_ethnicity_black', 'uses_ethnicity_asian'].map(m), [4, 2, 1]);
    assert.deepEqual(['uses_age_18_34', 'uses_age_35_49', 'uses_age_11_17', 'uses_age_50_64'].map(m), [5, 1, 1, 0]);
    // Demo population: Bromley 330,000, of whom 254,100 White and 26,400 Black.
    assert.equal(m('rate_per_1000_black'), 0.076);
    assert.equal(m('rate_per_1000_white'), 0.016);
    assert.equal(m('disproportionality_black'), 4.81);
    const next = await quarterly(lead, 'quarter=2027-28%20Q1');
    assert.deepEqual(
      ['uses_total', 'uses_fired', 'discharges'].map((k) => measure(next.body, k)),
      [1, 1, 1],
    );
  });

  it('gives oversight every borough as aggregates and CSV, with no name or collar number, and nothing else', async () => {
    const r = await quarterly(oversight, 'quarter=2026-27%20Q4');
    assert.equal(r.status, 200, JSON.stringify(r.body));
    assert.deepEqual(r.body.boroughs.map((b: { borough: string }) => b.borough).sort(), ['BROM', 'CROY', 'SUTT']);
    const text = JSON.stringify(r.body);
    for (const o of br.onDuty) {
      assert.ok(!text.includes(o.collar), `no collar number (${o.collar})`);
      assert.ok(!text.includes(o.name), `no name (${o.name})`);
    }
    const csv = await fetch(`${server.url}/api/reports/taser-use/quarterly?quarter=2026-27%20Q4&format=csv`, {
      headers: { authorization: `Bearer ${oversight}` },
    });
    assert.equal(csv.status, 200);
    assert.match(csv.headers.get('content-type') ?? '', /text\/csv/);
    const lines = (await csv.text()).trim().split('\r\n');
    assert.equal(lines[0], 'borough,borough_name,quarter,measure,value');
    assert.equal(lines.length - 1, r.body.rows.length);
    assert.ok(lines.includes('BROM,Bromley,2026-27 Q4,uses_total,7'));
    for (const path of ['/uses', '/officers', '/board?level=force&id=MPS', '/plans', '/custody/events', '/devices']) {
      const refused = await call(server, 'GET', path, { token: oversight });
      assert.equal(refused.status, 403, `${path}: ${JSON.stringify(refused.body)}`);
    }
    const croydon = await quarterly(lead, 'quarter=2026-27%20Q4&borough=CROY');
    assert.equal(croydon.status, 403);
    assert.equal((await quarterly(lead, 'quarter=2026-28%20Q4')).body.error?.id, 'invalid_quarter');
  });

  it('lets a force-wide admin replace the population table, refusing boroughs it does not have', async () => {
    const before = await call(server, 'GET', '/population', { token: oversight });
    assert.equal(before.status, 200);
    assert.match(before.body.table.source, /Census 2021/);
    const table = {
      source: 'Test table',
      year: 2021,
      boroughs: [{ borough: 'BROM', total: 1000, byEthnicity: { white: 500, black: 100 } }],
    };
    const bad = await call(server, 'PUT', '/population', {
      token: admin,
      body: { ...table, boroughs: [{ ...table.boroughs[0], borough: 'NOPE' }] },
    });
    assert.equal(bad.body.error?.id, 'unknown_borough');
    assert.equal((await call(server, 'PUT', '/population', { token: lead, body: table })).status, 403);
    const ok = await call(server, 'PUT', '/population', { token: admin, body: table });
    assert.equal(ok.status, 200, JSON.stringify(ok.body));
    const r = await quarterly(lead, 'quarter=2026-27%20Q4');
    assert.equal(measure(r.body, 'rate_per_1000_all'), 7);
    assert.equal(measure(r.body, 'rate_per_1000_black'), 20);
    assert.equal(r.body.populationSource, 'Test table');
  });
});
