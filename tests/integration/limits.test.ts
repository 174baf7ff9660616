import assert from 'node:assert/strict';
import { connect } from 'node:net';
import { describe, it } from 'node:test';
import { call, loginAs, TEST_NOW, useTestServer } from './helpers/test-server.js';

let planner: string;
let armourer: string;
let lead: string;
let control: string;
const server = useTestServer({ clock: () => TEST_NOW }, async (s) => {
  planner = await loginAs(s, 'planner.bromley');
  armourer = await loginAs(s, 'armourer.bromley');
  lead = await loginAs(s, 'lead.bromley');
  control = await loginAs(s, 'control.south');
});

/** A scenario of one Bromley shift that validates, for variations. */
const scenario = (over: Record<string, unknown> = {}) => ({
  version: 1,
  policy: { name: 'revised' },
  stations: [{ id: 'BR' }],
  shifts: [{ id: 'X-1', station: 'BR', start: '2026-11-23T07:00:00Z', end: '2026-11-23T16:00:00Z' }],
  officers: [],
  devices: [],
  ...over,
});

const importing = (body: unknown) => call(server(), 'POST', '/plans/import', { token: planner, body });

describe('page parameters', () => {
  for (const path of [
    '/officers',
    '/stations',
    '/teams',
    '/devices',
    '/abstractions',
    '/shift-definitions',
    '/plans',
    '/custody/events',
  ]) {
    it(`refuses page=1e308 on ${path} with 400 validation_failed`, async () => {
      const r = await call(server(), 'GET', `${path}?page=1e308`, { token: planner });
      assert.equal(r.status, 400);
      assert.equal(r.body.error.id, 'validation_failed');
      assert.match(r.body.error.message, /page/);
    });
  }
  it('accepts page 10000 and refuses 10001 and a fractional page', async () => {
    assert.equal((await call(server(), 'GET', '/officers?page=10000', { token: planner })).status, 200);
    assert.equal((await call(server(), 'GET', '/officers?page=10001', { token: planner })).status, 400);
    assert.equal((await call(server(), 'GET', '/officers?page=1.5', { token: planner })).status, 400);
  });
});

describe('URL length', () => {
  it('answers a 10,000-character query with 414 uri_too_long in our JSON shape', async () => {
    const r = await call(server(), 'GET', `/officers?station=${'A'.repeat(10_000)}`, { token: planner });
    assert.equal(r.status, 414);
    assert.equal(r.body.error.id, 'uri_too_long');
  });
  it('answers a 100,000-character query with 431 and a JSON body, not an empty one', async () => {
    const res = await fetch(`${server().url}/api/officers?station=${'A'.repeat(100_000)}`, {
      headers: { authorization: `Bearer ${planner}` },
    });
    assert.equal(res.status, 431);
    assert.match(res.headers.get('content-type') ?? '', /application\/json/);
    assert.equal(((await res.json()) as { error: { id: string } }).error.id, 'request_head_too_large');
  });
});

describe('unreadable requests', () => {
  it('answers a request Node cannot parse with 400 and a JSON body', async () => {
    const reply = await new Promise<string>((ok, fail) => {
      const sock = connect(server().port, '127.0.0.1', () => sock.write('NOT A REQUEST\r\n\r\n'));
      let text = '';
      sock.on('data', (d: Buffer) => (text += d.toString()));
      sock.on('end', () => ok(text));
      sock.on('error', fail);
    });
    assert.match(reply, /^HTTP\/1\.1 400 Bad Request\r\n/);
    assert.deepEqual(JSON.parse(reply.slice(reply.indexOf('\r\n\r\n') + 4)), {
      error: { id: 'bad_request', message: 'The request could not be read.' },
    });
  });
});

describe('JSON bodies', () => {
  for (const [what, body] of [
    ['a $where key', { ...scenario(), $where: 'sleep(1000)' }],
    ['a $set key inside a station', scenario({ stations: [{ id: 'BR', $set: { x: 1 } }] })],
    ['a dotted key', scenario({ policy: { name: 'revised', 'a.b': 1 } })],
  ] as const) {
    it(`refuses an import with ${what} with 400 invalid_body`, async () => {
      const r = await importing(body);
      assert.equal(r.status, 400);
      assert.equal(r.body.error.id, 'invalid_body');
    });
  }
  it('refuses __proto__ in the policy with 400 invalid_body', async () => {
    const raw = JSON.stringify(scenario()).replace('"name":"revised"', '"name":"revised","__proto__":{"x":1}');
    const r = await call(server(), 'POST', '/plans/import', { token: planner, raw });
    assert.equal(r.status, 400);
    assert.equal(r.body.error.id, 'invalid_body');
    assert.match(r.body.error.message, /__proto__/);
  });
  it('refuses constructor and prototype keys on any route', async () => {
    const r = await call(server(), 'PATCH', '/officers/1234', {
      token: planner,
      body: { name: 'x', constructor: { prototype: {} } },
    });
    assert.equal(r.status, 400);
    assert.equal(r.body.error.id, 'invalid_body');
  });
  it('refuses a body nested 2,000 deep with 400 invalid_body naming the depth limit', async () => {
    const raw = `${'{"a":'.repeat(2000)}1${'}'.repeat(2000)}`;
    const r = await call(server(), 'POST', '/plans/import', { token: planner, raw });
    assert.equal(r.status, 400);
    assert.equal(r.body.error.id, 'invalid_body');
    assert.match(r.body.error.message, /nested more than 64 levels/);
  });
  it('refuses a body over 5 MB with 413 payload_too_large', async () => {
    const r = await importing({ ...scenario(), filler: 'x'.repeat(6 * 1024 * 1024) });
    assert.equal(r.status, 413);
    assert.equal(r.body.error.id, 'payload_too_large');
  });
});

describe('scenario limits on import', () => {
  it('refuses a scenario without stations with 400 invalid_scenario', async () => {
    const r = await importing(scenario({ stations: [], shifts: [] }));
    assert.equal(r.status, 400);
    assert.equal(r.body.error.id, 'invalid_scenario');
    assert.match(r.body.error.message, /stations: expected at least one station/);
  });
  it('refuses a scenario with a station and no shifts with 400 no_shifts', async () => {
    const r = await importing(scenario({ shifts: [] }));
    assert.equal(r.status, 400);
    assert.equal(r.body.error.id, 'no_shifts');
  });
  it('refuses a 400-day shift', async () => {
    const r = await importing(
      scenario({ shifts: [{ id: 'X-1', station: 'BR', start: '2026-11-23T07:00:00Z', end: '2027-12-28T07:00:00Z' }] }),
    );
    assert.equal(r.status, 400);
    assert.equal(r.body.error.id, 'invalid_scenario');
    assert.match(r.body.error.message, /shifts\[0\]\.end: a shift lasts at most 24 hours/);
  });
  it('refuses a 100,000-character officer id', async () => {
    const officer = { id: 'A'.repeat(100_000), rank: 'PC', kind: 'regular', station: 'BR', shifts: [], taser: null };
    const r = await importing(scenario({ officers: [officer] }));
    assert.equal(r.status, 400);
    assert.equal(r.body.error.id, 'invalid_scenario');
    assert.match(r.body.error.message, /officers\[0\]\.id: expected an id of at most 64 characters/);
  });
});

describe('what-if', () => {
  it('refuses the same station and model twice in extraDevices with 400, not 500', async () => {
    const r = await call(server(), 'POST', '/reports/what-if', {
      token: lead,
      body: {
        unit: { level: 'borough', id: 'BROM' },
        from: '2026-11-23',
        to: '2026-11-23',
        variants: [
          {
            label: 'twice',
            extraDevices: [
              { station: 'BR', model: 'X2', count: 1 },
              { station: 'BR', model: 'X2', count: 2 },
            ],
          },
        ],
      },
    });
    assert.equal(r.status, 400);
    assert.equal(r.body.error.id, 'validation_failed');
    assert.match(r.body.error.message, /each station and model at most once/);
  });
});

describe('device state edits', () => {
  const serialAtBromley = async (): Promise<{ serial: string; state: string }> => {
    const r = await call(server(), 'GET', '/devices?station=BR&pageSize=500', { token: armourer });
    const d = (r.body.items as { serial: string; state: string }[]).find((x) => x.state === 'in_armoury');
    assert.ok(d, 'a Bromley device in the armoury');
    return d;
  };
  for (const [role, token] of [
    ['planner', () => planner],
    ['control room', () => control],
    ['borough lead', () => lead],
  ] as const) {
    it(`refuses a ${role} setting a device's state, even to the state it has, with 403 forbidden_role`, async () => {
      const d = await serialAtBromley();
      const r = await call(server(), 'PATCH', `/devices/${d.serial}`, {
        token: token(),
        body: { state: 'in_armoury' },
      });
      assert.equal(r.status, 403);
      assert.equal(r.body.error.id, 'forbidden_role');
    });
  }
  it('lets the armourer make the same no-op edit', async () => {
    const d = await serialAtBromley();
    const r = await call(server(), 'PATCH', `/devices/${d.serial}`, { token: armourer, body: { state: 'in_armoury' } });
    assert.equal(r.status, 200);
    assert.equal(r.body.state, 'in_armoury');
  });
});
