import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { DateTime } from 'luxon';
import { preferBaselineWasm } from '../../server/solver/cp-sat.js';
import { solveRefreshers } from '../../server/solver/refresher.js';
import { buildRefresherProblem, type RefresherInput } from '../../server/solver/refresher-problem.js';

preferBaselineWasm();

const ZONE = 'Europe/London';
type Off = RefresherInput['officers'][number];
type TeamIn = RefresherInput['teams'][number];

const officer = (collar: string, team: string, station: string, lastTrained: string | null, borough = 'B1'): Off => ({
  collar,
  name: `PC ${collar}`,
  kind: 'regular',
  station,
  borough,
  team,
  taser: lastTrained ? { lastTrained, models: ['X2'], endorsed: false, suspended: false, volunteer: true } : null,
});
const team = (id: string, station: string, pattern: string[], anchorDate = '2026-12-08', borough = 'B1'): TeamIn => ({
  id,
  station,
  borough,
  rota: { pattern, anchorDate },
});

type Site = RefresherInput['sites'][number];
const site = (id: string, days: number[], placesPerDay: number, boroughs?: string[]): Site => ({
  id,
  name: `Site ${id}`,
  days,
  placesPerDay,
  ...(boroughs ? { boroughs } : {}),
});

const baseInput = (over: Partial<RefresherInput>): RefresherInput => ({
  today: '2026-12-06',
  horizonDays: 14,
  windowDays: 84,
  zone: ZONE,
  policy: { authorisationMonths: 12, studentOfficersMayCarry: false, specialsMayCarry: false },
  minTaserUnits: 3,
  sites: [site('default', [2, 4], 2)],
  teams: [],
  definitions: [
    { code: 'E', start: '07:00', end: '15:00' },
    { code: 'L', start: '14:00', end: '22:00' },
    { code: 'N', start: '22:00', end: '07:00' },
  ],
  officers: [],
  abstractions: [],
  placesTaken: new Map(),
  ...over,
});

// Independent of the planner: the rota day, the lapse and the pairs count written out again here.
const rotaCode = (t: TeamIn, date: string): string => {
  const off = Math.round(
    DateTime.fromISO(date, { zone: ZONE }).diff(DateTime.fromISO(t.rota.anchorDate, { zone: ZONE }), 'days').days,
  );
  const n = t.rota.pattern.length;
  return t.rota.pattern[((off % n) + n) % n]!;
};
const lapseOf = (lastTrained: string): string => DateTime.fromISO(lastTrained).plus({ months: 12 }).toISODate()!;

/**
 * Exhaustive search over every officer's legal course slots (a site serving their borough, on one of its
 * weekdays, a duty day before the lapse) or none, straight from the unit's data: lexicographic (unplanned,
 * pairs without a carrier added, quarter hours of borough shifts below minimum).
 */
function bruteForce(input: RefresherInput): [number, number, number] {
  const slots: { site: Site; date: string }[] = [];
  for (
    let d = DateTime.fromISO(input.today).plus({ days: 1 });
    d <= DateTime.fromISO(input.today).plus({ days: input.horizonDays });
    d = d.plus({ days: 1 })
  )
    for (const s of input.sites) if (s.days.includes(d.weekday)) slots.push({ site: s, date: d.toISODate()! });
  const placesLeft = (sl: { site: Site; date: string }) =>
    sl.site.placesPerDay - (input.placesTaken.get(`${sl.site.id}|${sl.date}`) ?? 0);
  const courseDays = [...new Set(slots.map((sl) => sl.date))];
  const horizonEnd = DateTime.fromISO(input.today).plus({ days: input.horizonDays }).toISODate()!;
  const due = input.officers.filter((o) => o.taser && lapseOf(o.taser.lastTrained) <= horizonEnd);
  const options = due.map((o) => {
    const t = input.teams.find((x) => x.id === o.team)!;
    const lapse = lapseOf(o.taser!.lastTrained);
    return slots.filter(
      (sl) =>
        sl.date < lapse && rotaCode(t, sl.date) !== 'R' && (!sl.site.boroughs || sl.site.boroughs.includes(o.borough)),
    );
  });
  const carriersOn = (t: TeamIn) => input.officers.filter((o) => o.team === t.id && o.taser).length;
  const sizeOf = (t: TeamIn) => input.officers.filter((o) => o.team === t.id).length;
  const pwc = (n: number, c: number) => Math.max(0, Math.floor(n / 2) - c);
  let best: [number, number, number] = [Infinity, Infinity, Infinity];
  const pick: ({ site: Site; date: string } | null)[] = [];
  const visit = (i: number): void => {
    if (i === due.length) {
      const perSlot = new Map<{ site: Site; date: string }, number>();
      pick.forEach((sl) => sl && perSlot.set(sl, (perSlot.get(sl) ?? 0) + 1));
      if ([...perSlot].some(([sl, n]) => n > placesLeft(sl))) return;
      let unplanned = 0;
      let pairs = 0;
      let qh = 0;
      pick.forEach((sl) => (unplanned += sl ? 0 : 1));
      for (const d of courseDays) {
        const groupBefore = new Map<string, number>();
        const groupAfter = new Map<string, number>();
        for (const t of input.teams) {
          const code = rotaCode(t, d);
          if (code === 'R') continue;
          const away = due.filter((o, k) => o.team === t.id && pick[k]?.date === d).length;
          pairs += pwc(sizeOf(t) - away, carriersOn(t) - away) - pwc(sizeOf(t), carriersOn(t));
          const g = `${t.borough}|${code}`;
          groupBefore.set(g, (groupBefore.get(g) ?? 0) + carriersOn(t));
          groupAfter.set(g, (groupAfter.get(g) ?? 0) + carriersOn(t) - away);
        }
        for (const [g, before] of groupBefore)
          if (before >= input.minTaserUnits && groupAfter.get(g)! < input.minTaserUnits) qh += 32;
      }
      const v: [number, number, number] = [unplanned, pairs, qh];
      if (v[0] < best[0] || (v[0] === best[0] && (v[1] < best[1] || (v[1] === best[1] && v[2] < best[2])))) best = v;
      return;
    }
    for (const sl of [null, ...options[i]!]) {
      pick[i] = sl;
      visit(i + 1);
    }
  };
  visit(0);
  return best;
}

/**
 * The small cases' officers: teams A and B at S1 (borough B1), team C at S2 (borough `teamCBorough`); the
 * last-trained dates put six of them due in the horizon.
 */
const smallOfficers = (teamCBorough = 'B1'): Off[] => [
  officer('1001', 'A', 'S1', '2025-12-16'),
  officer('1002', 'A', 'S1', '2025-12-18'),
  officer('1003', 'A', 'S1', '2025-12-20'),
  officer('1004', 'A', 'S1', null),
  officer('1005', 'A', 'S1', null),
  officer('1006', 'A', 'S1', null),
  officer('2001', 'B', 'S1', '2025-12-12'),
  officer('2002', 'B', 'S1', '2025-12-19'),
  officer('2003', 'B', 'S1', '2026-06-01'),
  officer('2004', 'B', 'S1', null),
  officer('3001', 'C', 'S2', '2025-12-18', teamCBorough),
  officer('3002', 'C', 'S2', '2026-07-01', teamCBorough),
  officer('3003', 'C', 'S2', null, teamCBorough),
];

/** Six officers due, four course days (8, 10, 15, 17 Dec), two places a day, two teams sharing the earlies. */
const smallCase = (): RefresherInput =>
  baseInput({
    teams: [
      team('A', 'S1', ['E', 'E', 'R', 'R']),
      team('B', 'S1', ['R', 'R', 'L', 'L']),
      team('C', 'S2', ['E', 'E', 'R', 'R']),
    ],
    officers: smallOfficers(),
  });

describe('refresher planner', () => {
  it('loses exactly the cover an exhaustive search finds optimal on a small case', async () => {
    const input = smallCase();
    const build = buildRefresherProblem(input);
    assert.deepEqual(build.dates, ['2026-12-08', '2026-12-10', '2026-12-15', '2026-12-17']);
    assert.equal(build.due.length, 6);
    const sol = await solveRefreshers(build.problem);
    assert.equal(sol.status, 'OPTIMAL');
    const [unplanned, pairs, qh] = bruteForce(input);
    assert.deepEqual(
      [sol.levels.unplanned, sol.levels.pairsLost, sol.levels.quarterHoursBelow],
      [unplanned, pairs, qh],
    );
    // Team A's three due officers work only on the 8th and 17th: two of them go on one day, one pair loses its
    // carrier; team B's lates have no carrier to spare above the minimum, and 2001 must go on the 10th (8 h).
    assert.deepEqual([unplanned, pairs, qh], [0, 1, 32]);
  });

  it('matches the exhaustive search when the borough minimum binds too', async () => {
    const input = { ...smallCase(), minTaserUnits: 5, sites: [site('default', [2, 4], 3)] };
    const sol = await solveRefreshers(buildRefresherProblem(input).problem);
    const best = bruteForce(input);
    assert.deepEqual([sol.levels.unplanned, sol.levels.pairsLost, sol.levels.quarterHoursBelow], best);
    assert.ok(best[2] > 0, 'the case must make the minimum bind');
  });

  it('never books anyone on or after their lapse, on a rest day, or over a course day’s places', async () => {
    const teams = [
      team('A', 'S1', ['E', 'E', 'L', 'L', 'N', 'N', 'R', 'R', 'R', 'R']),
      team('B', 'S1', ['R', 'R', 'E', 'E', 'L', 'L', 'N', 'N', 'R', 'R']),
      team('C', 'S2', ['N', 'N', 'R', 'R', 'R', 'R', 'E', 'E', 'L', 'L']),
    ];
    const officers: Off[] = [];
    for (let i = 0; i < 60; i++) {
      const t = teams[i % 3]!;
      const trained = DateTime.fromISO('2025-12-01')
        .plus({ days: (i * 37) % 150 })
        .toISODate()!;
      officers.push(officer(String(4000 + i), t.id, t.station, i % 4 === 3 ? null : trained));
    }
    const input = baseInput({ teams, officers, horizonDays: 120, sites: [site('default', [2, 4], 3)] });
    const build = buildRefresherProblem(input);
    const sol = await solveRefreshers(build.problem, { timeLimitSeconds: 20 });
    assert.equal(sol.status, 'OPTIMAL');
    const booked = build.due.flatMap((o, i) => {
      const c = sol.chosen[i]!;
      return c < 0 ? [] : [{ o, date: build.candidates[i]![c]!.date }];
    });
    assert.ok(booked.length >= 30, `expected most of the due officers booked, got ${booked.length}`);
    const perDay = new Map<string, number>();
    for (const { o, date } of booked) {
      const src = officers.find((x) => x.collar === o.collar)!;
      assert.ok(
        date < lapseOf(src.taser!.lastTrained),
        `${o.collar} booked ${date}, lapses ${lapseOf(src.taser!.lastTrained)}`,
      );
      assert.notEqual(
        rotaCode(
          teams.find((t) => t.id === src.team)!,
          date,
        ),
        'R',
        `${o.collar} booked on a rest day`,
      );
      assert.ok([2, 4].includes(DateTime.fromISO(date).weekday), `${date} is not a course day`);
      perDay.set(date, (perDay.get(date) ?? 0) + 1);
    }
    assert.ok(Math.max(...perDay.values()) <= 3);
  });

  it('skips officers with a refresher booked and counts places taken by other bookings', () => {
    const input = smallCase();
    input.abstractions = [{ officer: '1001', kind: 'training', from: '2026-12-08', to: '2026-12-08' }];
    input.placesTaken = new Map([['default|2026-12-17', 2]]);
    const build = buildRefresherProblem(input);
    assert.deepEqual(build.dates, ['2026-12-08', '2026-12-10', '2026-12-15']);
    assert.equal(build.skipped.alreadyBooked, 1);
    assert.equal(build.due.length, 5);
    assert.deepEqual(build.problem.places, [2, 2, 2]);
  });

  it('matches the exhaustive search with two sites of different days and places, one serving only borough B1', async () => {
    // north: Tue/Thu, 1 place, every borough; south: Wed/Fri, 2 places (1 left on the 16th), B1 only.
    const input = baseInput({
      sites: [site('north', [2, 4], 1), site('south', [3, 5], 2, ['B1'])],
      placesTaken: new Map([['south|2026-12-16', 1]]),
      teams: [
        team('A', 'S1', ['E', 'E', 'R', 'R']),
        team('B', 'S1', ['R', 'R', 'L', 'L']),
        team('C', 'S2', ['E', 'E', 'R', 'R'], '2026-12-09', 'B2'),
      ],
      officers: [...smallOfficers('B2'), officer('3004', 'C', 'S2', '2025-12-14', 'B2')],
    });
    const build = buildRefresherProblem(input);
    assert.deepEqual(
      build.slots.map((sl) => `${sl.site} ${sl.date.slice(8)}`),
      ['north 08', 'south 09', 'north 10', 'south 11', 'north 15', 'south 16', 'north 17', 'south 18'],
    );
    assert.deepEqual(build.problem.places, [1, 2, 1, 2, 1, 1, 1, 2]);
    assert.equal(build.due.length, 7);
    // Borough B2's officers may only go north.
    build.due.forEach((o, i) => {
      if (o.borough === 'B2')
        assert.ok(
          build.candidates[i]!.every((c) => c.site === 'north'),
          o.collar,
        );
    });
    const sol = await solveRefreshers(build.problem);
    assert.equal(sol.status, 'OPTIMAL');
    const best = bruteForce(input);
    assert.deepEqual([sol.levels.unplanned, sol.levels.pairsLost, sol.levels.quarterHoursBelow], best);
    // All seven fit, no pair loses its carrier (team A's three due officers go on three different days: two on
    // one day would leave a pair without one), and six borough shifts fall below the minimum of 3 (8 h each):
    // A on three days, B's two together on one, C's two on two days (north's single place on the 10th).
    assert.deepEqual(best, [0, 0, 192]);
    // 3004 (lapses on the 14th) can only take north on the 10th.
    const chosen = build.due.map((o, i) => [o.collar, build.candidates[i]![sol.chosen[i]!]!] as const);
    const c3004 = chosen.find(([c]) => c === '3004')![1];
    assert.deepEqual([c3004.site, c3004.date], ['north', '2026-12-10']);
    const perSlot = new Map<string, number>();
    for (const [, c] of chosen) perSlot.set(`${c.site}|${c.date}`, (perSlot.get(`${c.site}|${c.date}`) ?? 0) + 1);
    build.slots.forEach((sl, k) =>
      assert.ok((perSlot.get(`${sl.site}|${sl.date}`) ?? 0) <= build.problem.places[k]!, `${sl.site} ${sl.date}`),
    );
  });

  it('keeps every site’s places, days and boroughs on a 90-officer case with two sites', async () => {
    const teams = [
      team('A', 'S1', ['E', 'E', 'L', 'L', 'N', 'N', 'R', 'R', 'R', 'R']),
      team('B', 'S1', ['R', 'R', 'E', 'E', 'L', 'L', 'N', 'N', 'R', 'R']),
      team('C', 'S2', ['N', 'N', 'R', 'R', 'R', 'R', 'E', 'E', 'L', 'L'], '2026-12-08', 'B2'),
    ];
    const officers: Off[] = [];
    for (let i = 0; i < 90; i++) {
      const t = teams[i % 3]!;
      const trained = DateTime.fromISO('2025-12-01')
        .plus({ days: (i * 37) % 150 })
        .toISODate()!;
      officers.push(officer(String(5000 + i), t.id, t.station, i % 4 === 3 ? null : trained, t.borough));
    }
    const sites = [site('north', [2, 4], 2), site('south', [1, 3, 5], 1, ['B1'])];
    const input = baseInput({ teams, officers, horizonDays: 120, sites });
    const build = buildRefresherProblem(input);
    const sol = await solveRefreshers(build.problem, { timeLimitSeconds: 20 });
    const booked = build.due.flatMap((o, i) => {
      const c = sol.chosen[i]!;
      return c < 0 ? [] : [{ o, ...build.candidates[i]![c]! }];
    });
    const perSlot = new Map<string, number>();
    for (const b of booked) {
      const src = officers.find((x) => x.collar === b.o.collar)!;
      const s = sites.find((x) => x.id === b.site)!;
      assert.ok(s.days.includes(DateTime.fromISO(b.date).weekday), `${b.date} is not a course day at ${b.site}`);
      assert.ok(!s.boroughs || s.boroughs.includes(src.borough), `${b.o.collar} of ${src.borough} sent to ${b.site}`);
      assert.ok(b.date < lapseOf(src.taser!.lastTrained), `${b.o.collar} booked ${b.date} after the lapse`);
      assert.notEqual(
        rotaCode(
          teams.find((t) => t.id === src.team)!,
          b.date,
        ),
        'R',
        `${b.o.collar} on a rest day`,
      );
      perSlot.set(`${b.site}|${b.date}`, (perSlot.get(`${b.site}|${b.date}`) ?? 0) + 1);
    }
    for (const [k, n] of perSlot) assert.ok(n <= (k.startsWith('north') ? 2 : 1), `${k}: ${n} booked`);
    assert.ok(booked.some((b) => b.site === 'south') && booked.some((b) => b.site === 'north'), 'both sites used');
    assert.ok(booked.length >= 40, `expected most of the due officers booked, got ${booked.length}`);
    assert.equal(sol.levels.unplanned, build.due.length - booked.length);
  });
});
