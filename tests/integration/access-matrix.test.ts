import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { z } from 'zod';
import { can } from '../../shared/auth/permissions.js';
import type { Role } from '../../shared/schemas/user.schema.js';
import { DEMO_FORCE_ID } from '../../server/db/demo-force.js';
import { ROUTES, type ApiRoute } from '../../server/http/openapi.js';
import { repositories } from '../../server/repositories/index.js';
import { connectLive } from './helpers/live-client.js';
import { call, loginAs, useTestServer, type Reply } from './helpers/test-server.js';

/*
 * The role × scope matrix, generated from the route registry (server/http/openapi.ts ROUTES) and the permission
 * matrix (shared/auth/permissions.ts). Scope changes on open sockets are covered by sessions.test.ts
 * ('disconnects a user’s open socket at once when their scope changes').
 */

const USERS: Record<string, Role> = {
  'planner.bromley': 'planner',
  'control.south': 'control_room',
  'lead.bromley': 'borough_lead',
  'armourer.bromley': 'armourer',
  admin: 'admin',
  oversight: 'oversight',
};

type Ids = Record<'station' | 'team' | 'officer' | 'device' | 'abstraction', { brom: string; croy: string }>;
const KEY = { station: 'id', team: 'id', officer: 'collar', device: 'serial', abstraction: 'id' } as const;
const LIST = {
  station: '/stations',
  team: '/teams',
  officer: '/officers',
  device: '/devices',
  abstraction: '/abstractions',
} as const;

const tokens: Record<string, string> = {};
const ids = {} as Ids;
let plan: { brom?: string; croy?: string } = {};

const server = useTestServer({}, async (s) => {
  // The BCU seed has one BCU: a second one (with a borough and a station) gives every level an outside unit.
  await repositories.bcus.create({ id: 'NW', name: 'North West', force: DEMO_FORCE_ID });
  await repositories.boroughs.create({ id: 'BARN', name: 'Barnet', force: DEMO_FORCE_ID, bcu: 'NW' });
  await repositories.stations.create({ id: 'BNT', name: 'Barnet', force: DEMO_FORCE_ID, bcu: 'NW', borough: 'BARN' });
  for (const u of [...Object.keys(USERS), 'planner.croydon']) tokens[u] = await loginAs(s, u);
  await Promise.all(
    (Object.keys(LIST) as (keyof typeof LIST)[]).map(async (kind) => {
      const one = async (borough: string): Promise<string> => {
        const r = await call(s, 'GET', `${LIST[kind]}?borough=${borough}&pageSize=1`, { token: tokens.admin });
        assert.equal(r.status, 200, `${kind} ${borough}: ${JSON.stringify(r.body)}`);
        assert.ok(r.body.items.length > 0, `the seed has a ${kind} in ${borough}`);
        return r.body.items[0][KEY[kind]] as string;
      };
      ids[kind] = { brom: await one('BROM'), croy: await one('CROY') };
    }),
  );
  const plans = async (u: string): Promise<string | undefined> =>
    (await call(s, 'GET', '/plans?pageSize=1', { token: tokens[u] })).body?.items?.[0]?.id as string | undefined;
  plan = { brom: await plans('planner.bromley'), croy: await plans('planner.croydon') };
});

/** A plausible in-scope (Bromley) key for a route's `{key}` / `{id}`. */
function pathFor(r: ApiRoute): string {
  const kind = (Object.keys(LIST) as (keyof typeof LIST)[]).find((k) => r.path.startsWith(`${LIST[k]}/`));
  return r.path
    .replace('{key}', kind ? ids[kind].brom : r.path.startsWith('/users') ? 'planner.croydon' : 'EARLY')
    .replace('{id}', plan.brom ?? 'no-such-plan');
}

type Level = 'bcu' | 'borough' | 'station';

/** The unit levels a route's query filters by (`bcu`, `borough`, `station`). */
function unitKeys(r: ApiRoute): Level[] {
  let q: z.ZodTypeAny | undefined = r.query;
  while (q instanceof z.ZodEffects) q = q.innerType() as z.ZodTypeAny;
  if (!(q instanceof z.ZodObject)) return [];
  const shape = (q as z.AnyZodObject).shape as Record<string, unknown>;
  return (['station', 'borough', 'bcu'] as const).filter((k) => k in shape);
}

function cases(): { r: ApiRoute; user: string; allowed: boolean }[] {
  const out: { r: ApiRoute; user: string; allowed: boolean }[] = [];
  for (const r of ROUTES) {
    if (typeof r.access !== 'object') continue;
    for (const [user, role] of Object.entries(USERS))
      out.push({ r, user, allowed: can(role, r.access.resource, r.access.action) });
  }
  return out;
}

async function inBatches<T, R>(items: T[], size: number, fn: (t: T) => Promise<R>): Promise<R[]> {
  const out: R[] = [];
  for (let i = 0; i < items.length; i += size) out.push(...(await Promise.all(items.slice(i, i + size).map(fn))));
  return out;
}

describe('role × scope matrix (every route of ROUTES, every demo role)', () => {
  it('answers every refused role 403 forbidden_role whatever its body, and never refuses an allowed role by role, without a 5xx', async () => {
    const all = cases();
    // Allowed writes are sent with an empty body and a missing key so nothing seeded changes under other cases.
    const results = await inBatches(all, 16, async (c) => {
      const write = c.r.method !== 'get';
      const path =
        c.allowed && write ? c.r.path.replace('{key}', 'NO-SUCH-KEY').replace('{id}', 'no-such-plan') : pathFor(c.r);
      const reply: Reply = await call(server(), c.r.method.toUpperCase(), path, {
        token: tokens[c.user],
        ...(c.r.body ? { body: {} } : {}),
      });
      return { ...c, path, reply };
    });
    const wrong: string[] = [];
    for (const { r, user, allowed, path, reply } of results) {
      const id = reply.body?.error?.id as string | undefined;
      const what = `${r.method.toUpperCase()} ${path} as ${user}: ${reply.status} ${id ?? ''}`;
      if (reply.status >= 500) wrong.push(`5xx: ${what}`);
      else if (allowed && id === 'forbidden_role') wrong.push(`allowed but refused: ${what}`);
      // The role is checked before the body or query is read: an empty (invalid) body still gets 403.
      else if (!allowed && (reply.status !== 403 || id !== 'forbidden_role'))
        wrong.push(`refused role not answered 403 forbidden_role: ${what}`);
    }
    assert.deepEqual(wrong, []);
    assert.ok(results.length > 200, `${results.length} cases`);
  });
});

describe('scope: records, list filters and board rooms of another borough', () => {
  it('refuses reading and writing a Croydon record to planner.bromley with 403 out_of_scope', async () => {
    const t = tokens['planner.bromley'];
    const calls: [string, string, unknown?][] = [];
    for (const kind of Object.keys(LIST) as (keyof typeof LIST)[]) {
      calls.push(['GET', `${LIST[kind]}/${ids[kind].croy}`]);
      // planner writes teams, officers, abstractions (not stations or devices: those are a role refusal)
      if (kind === 'team' || kind === 'officer' || kind === 'abstraction')
        calls.push(['PATCH', `${LIST[kind]}/${ids[kind].croy}`, {}], ['DELETE', `${LIST[kind]}/${ids[kind].croy}`]);
    }
    // The bcu seed stores no plan; when one exists, reading Croydon's is refused too.
    if (plan.croy) calls.push(['GET', `/plans/${plan.croy}`]);
    const replies = await Promise.all(calls.map(([m, p, body]) => call(server(), m, p, { token: t, body })));
    assert.deepEqual(
      replies.map((r, i) => `${calls[i]![0]} ${calls[i]![1]} ${r.status} ${r.body?.error?.id}`),
      calls.map(([m, p]) => `${m} ${p} 403 out_of_scope`),
    );
  });

  it('refuses list filters naming a unit outside the caller’s scope with 403 out_of_scope', async () => {
    const t = tokens['planner.bromley'];
    const paths = [
      '/officers?borough=CROY',
      '/teams?borough=CROY',
      '/devices?borough=CROY',
      '/abstractions?borough=CROY',
      '/stations?borough=CROY',
      '/plans?borough=CROY',
    ];
    const replies = await Promise.all(paths.map((p) => call(server(), 'GET', p, { token: t })));
    assert.deepEqual(
      replies.map((r, i) => `${paths[i]} ${r.status} ${r.body?.error?.id}`),
      paths.map((p) => `${p} 403 out_of_scope`),
    );
  });

  it('answers every list filter by the level of its unit and the caller’s scope: 200 inside or containing it, 403 out_of_scope outside, 404 unit_not_found unknown', async () => {
    const admin = tokens.admin;
    const org = (await call(server(), 'GET', '/org', { token: admin })).body as {
      bcus: { id: string }[];
      boroughs: { id: string; bcu: string }[];
      stations: { id: string; borough: string; bcu: string }[];
    };
    /** Every unit of the force with its placement (its own level included). */
    const units: { level: Level; id: string; at: Partial<Record<Level, string>> }[] = [
      ...org.bcus.map((b) => ({ level: 'bcu' as const, id: b.id, at: { bcu: b.id } })),
      ...org.boroughs.map((b) => ({ level: 'borough' as const, id: b.id, at: { bcu: b.bcu, borough: b.id } })),
      ...org.stations.map((s) => ({
        level: 'station' as const,
        id: s.id,
        at: { bcu: s.bcu, borough: s.borough, station: s.id },
      })),
    ];
    assert.ok(org.bcus.length > 1, 'the seed has more than one BCU');
    const scopes: Record<string, { level: Level | 'force'; id: string }> = {};
    for (const user of Object.keys(USERS))
      scopes[user] = (await call(server(), 'GET', '/auth/me', { token: tokens[user] })).body.scope;
    /** Inside the scope, or containing it (a borough planner's own BCU). */
    const related = (user: string, u: (typeof units)[number]): boolean => {
      const sc = scopes[user]!;
      if (sc.level === 'force') return true;
      const own = units.find((x) => x.level === sc.level && x.id === sc.id)!;
      return u.at[sc.level] === sc.id || own.at[u.level] === u.id;
    };
    // Every GET route whose query names units, with what else it needs to answer 200.
    const EXTRA: Record<string, string> = {
      '/duty': 'from=2026-11-23&to=2026-11-24',
      '/reports/taser-use/quarterly': 'quarter=2026-27%20Q3',
    };
    const filterRoutes = ROUTES.filter((r) => r.method === 'get' && unitKeys(r).length > 0).filter(
      (r) => !r.path.includes('{id}') || plan.brom,
    );
    assert.ok(filterRoutes.length >= 10, `${filterRoutes.length} routes take a unit filter`);
    const expected: string[] = [];
    const calls: { user: string; path: string }[] = [];
    for (const r of filterRoutes)
      for (const [user, role] of Object.entries(USERS)) {
        if (typeof r.access !== 'object' || !can(role, r.access.resource, r.access.action)) continue;
        for (const level of unitKeys(r)) {
          const inside = units.find((u) => u.level === level && related(user, u));
          const outside = units.find((u) => u.level === level && !related(user, u));
          const base = pathFor(r);
          const q = (id: string) => `${base}?${EXTRA[r.path] ? `${EXTRA[r.path]}&` : ''}${level}=${id}`;
          const cases: [string, string][] = [
            ...(inside ? [[q(inside.id), '200'] as [string, string]] : []),
            ...(outside ? [[q(outside.id), '403 out_of_scope'] as [string, string]] : []),
          ];
          for (const [path, answer] of cases) {
            calls.push({ user, path });
            expected.push(`${user} ${path} ${answer}`);
          }
          calls.push({ user, path: q('NO-SUCH-UNIT') });
          expected.push(`${user} ${q('NO-SUCH-UNIT')} 404 unit_not_found`);
        }
      }
    const replies = await inBatches(calls, 16, (c) => call(server(), 'GET', c.path, { token: tokens[c.user] }));
    assert.deepEqual(
      replies.map(
        (r, i) => `${calls[i]!.user} ${calls[i]!.path} ${r.status}${r.status === 200 ? '' : ` ${r.body?.error?.id}`}`,
      ),
      expected,
    );
    // Every non-force role met an out-of-scope unit at each of the three levels.
    for (const level of ['station', 'borough', 'bcu'] as const)
      assert.ok(
        expected.some(
          (e) => e.startsWith('planner.bromley ') && e.includes(`${level}=`) && e.endsWith('403 out_of_scope'),
        ),
        `planner.bromley is refused an out-of-scope ${level}`,
      );
    assert.ok(expected.length > 150, `${expected.length} filter cases`);
  });

  it('lets armourer.bromley (station BR) read its own station and lists only it', async () => {
    const t = tokens['armourer.bromley'];
    const [own, list, other] = await Promise.all([
      call(server(), 'GET', '/stations/BR', { token: t }),
      call(server(), 'GET', '/stations', { token: t }),
      call(server(), 'GET', `/stations/${ids.station.croy}`, { token: t }),
    ]);
    assert.equal(own.status, 200);
    assert.deepEqual(
      list.body.items.map((s: { id: string }) => s.id),
      ['BR'],
    );
    assert.deepEqual([other.status, other.body.error.id], [403, 'out_of_scope']);
  });

  it('answers board:join for a room outside the user’s scope with the error out_of_scope, and joins its own', async () => {
    for (const role of Object.values(USERS))
      assert.equal(can(role, 'board', 'read'), role !== 'oversight', `${role} reads the board (oversight: never)`);
    const client = await connectLive(server().url, tokens['planner.bromley']);
    try {
      const refused = await client.request<{ error?: { id: string } }>('board:join', { room: 'borough:CROY' });
      assert.equal(refused.error?.id, 'out_of_scope');
      const own = await client.request<{ room?: string }>('board:join', { room: 'borough:BROM' });
      assert.equal(own.room, 'borough:BROM');
    } finally {
      client.close();
    }
    // Oversight reads aggregates only: the board names officers, so no room at all.
    const oversight = await connectLive(server().url, tokens.oversight);
    try {
      for (const room of ['force:MPS', 'borough:BROM']) {
        const refused = await oversight.request<{ error?: { id: string } }>('board:join', { room });
        assert.equal(refused.error?.id, 'forbidden_role', room);
      }
    } finally {
      oversight.close();
    }
  });
});
