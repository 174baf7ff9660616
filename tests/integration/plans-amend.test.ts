import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { PlanDiffSchema } from '../../shared/schemas/crew-plan.schema.js';
import { SOCKET_EVENTS } from '../../shared/schemas/live-event.schema.js';
import { assertSameBoard, connectLive, eventually, follow, LIVE_NOW, type LiveClient } from './helpers/live-client.js';
import { call, loginAs, startTestServer, stopOwnStore, type TestServer } from './helpers/test-server.js';

/**
 * Issue 7 item 5: amending a published roster, the difference against what is published, publishing
 * the amendment with a reason, and open boards told at once (`plan.published`).
 */
let server: TestServer;
let planner: string;
let control: string;
const clients: LiveClient[] = [];

before(async () => {
  server = await startTestServer({ clock: () => LIVE_NOW });
  planner = await loginAs(server, 'planner.bromley');
  control = await loginAs(server, 'control.south');
});
after(async () => {
  for (const c of clients) c.close();
  await server.stop();
  await stopOwnStore();
});

type Crew = { shift: string; members: string[]; carriers: { officer: string; device: string }[] };
const key = (c: { shift: string; members: string[] }) => `${c.shift}:${[...c.members].sort().join('+')}`;

async function settled(id: string): Promise<any> {
  for (let i = 0; i < 1200; i++) {
    const r = await call(server, 'GET', `/plans/${id}`, { token: planner });
    assert.equal(r.status, 200);
    if (r.body.status !== 'solving') return r.body;
    await new Promise((ok) => setTimeout(ok, 100));
  }
  throw new Error(`plan ${id} still solving`);
}

/** The seeded day's live instant falls in the early shift (07:00–16:00) of 2026-11-22. */
const today = { unit: { level: 'borough', id: 'BROM' }, from: '2026-11-22', to: '2026-11-22' };

describe('amending a published roster', () => {
  let published: any;
  let amendment: any;
  let revised: any;
  let lock: { shift: string; members: string[] };

  before(async () => {
    const draft = await settled((await call(server, 'POST', '/plans', { token: planner, body: today })).body.id);
    const r = await call(server, 'POST', `/plans/${draft.id}/publish`, { token: planner, body: {} });
    assert.equal(r.status, 200, JSON.stringify(r.body));
    published = (await call(server, 'GET', `/plans/${draft.id}`, { token: planner })).body;
  });

  it('starts an amendment that is the published crews, as a draft with its locks, revision and chain', async () => {
    const r = await call(server, 'POST', `/plans/${published.id}/amend`, { token: planner, body: {} });
    assert.equal(r.status, 201, JSON.stringify(r.body));
    amendment = r.body;
    assert.equal(amendment.status, 'draft');
    assert.equal(amendment.basedOn, published.id);
    assert.equal(amendment.amends, published.id);
    assert.equal(amendment.amendment, 1);
    assert.equal(amendment.revision, published.revision + 1);
    assert.deepEqual(amendment.plan.crews, published.plan.crews);
    assert.deepEqual(amendment.locks, published.locks);
    const scenario = (await call(server, 'GET', `/plans/${amendment.id}/scenario`, { token: planner })).body;
    assert.deepEqual(
      scenario.previousPlan.crews.map(key),
      published.plan.crews.map((c: Crew) => key(c)),
    );
  });

  it('refuses to amend a plan that is not published', async () => {
    const r = await call(server, 'POST', `/plans/${amendment.id}/amend`, { token: planner, body: {} });
    assert.equal(r.status, 409);
    assert.equal(r.body.error.id, 'plan_not_published');
  });

  it('shows no difference for an untouched amendment', async () => {
    const r = await call(server, 'GET', `/plans/${amendment.id}/diff`, { token: planner });
    assert.equal(r.status, 200);
    const d = PlanDiffSchema.parse(r.body);
    assert.equal(d.against, published.id);
    assert.deepEqual(d.shifts, []);
    assert.deepEqual(d.counts, {
      added: 0,
      removed: 0,
      changed: 0,
      unchanged: published.plan.crews.length,
      officersMoved: 0,
      devicesMoved: 0,
    });
  });

  it('shows crews changed and officers moved after a swap re-solved around a lock', async () => {
    const early = (published.plan.crews as Crew[]).filter(
      (c) => c.shift.endsWith('-E') && c.members.length === 2 && c.carriers.length === 1,
    );
    const a = early[0]!;
    const b = early.find((c) => c !== a && c.shift === a.shift)!;
    assert.ok(b, 'two pairs with one carrier on one early shift');
    const carrierOf = (c: Crew) => c.carriers[0]!.officer;
    const otherOf = (c: Crew) => c.members.find((m) => m !== carrierOf(c))!;
    lock = { shift: a.shift, members: [carrierOf(a), otherOf(b)] };
    const put = await call(server, 'PUT', `/plans/${amendment.id}/locks`, { token: planner, body: { locks: [lock] } });
    assert.equal(put.status, 200);
    const started = await call(server, 'POST', `/plans/${amendment.id}/resolve`, { token: planner, body: {} });
    assert.equal(started.status, 202);
    revised = await settled(started.body.id);
    assert.equal(revised.status, 'draft');
    assert.equal(revised.amends, published.id);
    assert.equal(revised.amendment, 1);
    assert.ok(revised.plan.crews.some((c: Crew) => key(c) === key(lock)));

    const d = PlanDiffSchema.parse((await call(server, 'GET', `/plans/${revised.id}/diff`, { token: planner })).body);
    assert.equal(d.against, published.id);
    assert.ok(d.counts.changed >= 1, JSON.stringify(d.counts));
    const moved = d.officersMoved.find((m) => m.officer === otherOf(b))!;
    assert.deepEqual(moved, { officer: otherOf(b), shift: a.shift, from: b.members, to: lock.members });
    const shift = d.shifts.find((s) => s.shift === a.shift)!;
    assert.ok(
      [...shift.changed.map((c) => c.to), ...shift.added].some((c) => key(c) === key(lock)),
      'the new crew is listed',
    );
    assert.equal(d.counts.officersMoved, d.officersMoved.length);
    assert.equal(
      d.counts.unchanged + d.counts.changed + d.counts.added,
      revised.plan.crews.length,
      'every crew of the amendment is counted once',
    );
  });

  it('needs a reason to publish an amendment, then supersedes the roster and tells an open board at once', async () => {
    const client = await connectLive(server.url, control);
    clients.push(client);
    const follower = follow(client, 'borough:BROM');
    follower.load(await client.join('borough:BROM'));
    const before = follower.board!;
    const unitKeys = (b: typeof before) =>
      [...b.units.values()].filter((u) => u.shift === lock.shift).map((u) => key(u));
    assert.ok(!unitKeys(before).includes(key(lock)), 'the board shows the published crews first');
    const resyncsBefore = follower.stats.resyncs;

    const noReason = await call(server, 'POST', `/plans/${revised.id}/publish`, { token: planner, body: {} });
    assert.equal(noReason.status, 400);
    assert.equal(noReason.body.error.id, 'reason_required');
    const r = await call(server, 'POST', `/plans/${revised.id}/publish`, {
      token: planner,
      body: { reason: 'Swapped partners at the sergeant’s request' },
    });
    assert.equal(r.status, 200, JSON.stringify(r.body));
    assert.equal(r.body.status, 'published');
    const old = (await call(server, 'GET', `/plans/${published.id}`, { token: planner })).body;
    assert.equal(old.status, 'superseded');
    assert.equal(old.supersededBy, revised.id);

    const delta = await client.next((d) => d.event.type === 'plan.published');
    assert.equal(delta.room, 'borough:BROM');
    const e = delta.event;
    assert.ok(e.type === 'plan.published');
    assert.equal(e.plan, revised.id);
    assert.deepEqual(e.unit, { level: 'borough', id: 'BROM' });
    assert.deepEqual(e.placement, { force: 'MPS', bcu: 'SN', borough: 'BROM', station: '' });
    assert.deepEqual(e.stations, ['BR', 'OR']);
    assert.ok(e.shifts.includes(lock.shift));
    assert.equal(e.by, 'planner.bromley');

    // The delta carries the plan's units now on the board (issue 9): applied without any resync.
    assert.ok(e.units && e.units.length > 0);
    assert.ok(
      e.units.every((u) => u.borough === 'BROM' && u.plannedCarriers.every((c) => u.members.includes(c.officer))),
    );
    await eventually(() => unitKeys(follower.board!).includes(key(lock)));
    assert.equal(follower.stats.resyncs, resyncsBefore);
    const unit = [...follower.board!.units.values()].find((u) => key(u) === key(lock))!;
    assert.match(unit.callSign, /^BR-E-\d{2}$/);
    // The state reached by deltas is the snapshot's.
    await assertSameBoard(follower, () => client.request(SOCKET_EVENTS.resync, { room: 'borough:BROM' }));
    assert.equal(follower.stats.resyncs, resyncsBefore);
    follower.close();
  });

  it('routes plan.published to the rooms of the plan’s stations too', async () => {
    const client = await connectLive(server.url, control);
    clients.push(client);
    await client.join('station:OR');
    const again = await call(server, 'POST', `/plans/${revised.id}/amend`, { token: planner, body: {} });
    assert.equal(again.body.amendment, 2);
    assert.equal(again.body.amends, published.id);
    const r = await call(server, 'POST', `/plans/${again.body.id}/publish`, {
      token: planner,
      body: { reason: 'republished unchanged' },
    });
    assert.equal(r.status, 200);
    const delta = await client.next((d) => d.event.type === 'plan.published');
    assert.equal(delta.room, 'station:OR');
    assert.ok(delta.event.type === 'plan.published' && delta.event.plan === again.body.id);
    assert.equal(SOCKET_EVENTS.deltas, 'board:deltas');
  });

  it('publishes one of two fresh drafts for a day with no roster published at once, and refuses the other with 409 naming it', async () => {
    const day = { ...today, from: '2026-11-25', to: '2026-11-25' };
    const one = await settled((await call(server, 'POST', '/plans', { token: planner, body: day })).body.id);
    const two = await settled((await call(server, 'POST', '/plans', { token: planner, body: day })).body.id);
    const replies = await Promise.all([
      call(server, 'POST', `/plans/${one.id}/publish`, { token: planner, body: {} }),
      call(server, 'POST', `/plans/${two.id}/publish`, { token: planner, body: {} }),
    ]);
    assert.deepEqual(replies.map((r) => r.status).sort(), [200, 409], JSON.stringify(replies.map((r) => r.body)));
    const won = replies.find((r) => r.status === 200)!.body.id as string;
    const lost = replies.find((r) => r.status === 409)!.body.error;
    assert.equal(lost.id, 'plan_already_published');
    assert.deepEqual(lost.details, { published: won });
    const list = await call(server, 'GET', '/plans?status=published&borough=BROM', { token: planner });
    const live = list.body.items.filter((p: any) => p.from <= '2026-11-25' && p.to >= '2026-11-25');
    assert.deepEqual(
      live.map((p: any) => p.id),
      [won],
    );
    const loser = won === one.id ? two.id : one.id;
    assert.equal((await call(server, 'GET', `/plans/${loser}`, { token: planner })).body.status, 'draft');
  });

  it('publishes one of two amendments of the published roster sent at once; the other is refused, naming the winner', async () => {
    const live = (
      await call(server, 'GET', '/plans?status=published&borough=BROM', { token: planner })
    ).body.items.find((p: any) => p.from <= '2026-11-22' && p.to >= '2026-11-22');
    const a = (await call(server, 'POST', `/plans/${live.id}/amend`, { token: planner, body: {} })).body;
    const b = (await call(server, 'POST', `/plans/${live.id}/amend`, { token: planner, body: {} })).body;
    const body = { reason: 'two planners at once' };
    const replies = await Promise.all([
      call(server, 'POST', `/plans/${a.id}/publish`, { token: planner, body }),
      call(server, 'POST', `/plans/${b.id}/publish`, { token: planner, body }),
    ]);
    assert.deepEqual(replies.map((r) => r.status).sort(), [200, 409], JSON.stringify(replies.map((r) => r.body)));
    const won = replies.find((r) => r.status === 200)!.body.id as string;
    const lost = replies.find((r) => r.status === 409)!.body.error;
    assert.equal(lost.id, 'plan_already_published');
    assert.deepEqual(lost.details, { published: won });
    const old = (await call(server, 'GET', `/plans/${live.id}`, { token: planner })).body;
    assert.equal(old.status, 'superseded');
    assert.equal(old.supersededBy, won);
    const list = await call(server, 'GET', '/plans?status=published&borough=BROM', { token: planner });
    assert.deepEqual(
      list.body.items.filter((p: any) => p.from <= '2026-11-22' && p.to >= '2026-11-22').map((p: any) => p.id),
      [won],
    );
  });
});
