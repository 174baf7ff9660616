import { DateTime } from 'luxon';
import { z } from 'zod';
import { DEFAULT_FORCE_SETTINGS, defaultPolicy } from '../rules/force-settings.js';

/** Ranks, officer kinds and device models of the interchange format (DESIGN.md section 5). */
export const ScenarioRankSchema = z.enum(['PC', 'SGT', 'INSP']);
export const ScenarioOfficerKindSchema = z.enum(['regular', 'student', 'special']);
export const ScenarioDeviceModelSchema = z.enum(['X2', 'T7', 'T10']);
export const PolicyNameSchema = z.enum(['revised', 'legacy']);
export type ScenarioRank = z.infer<typeof ScenarioRankSchema>;
export type ScenarioDeviceModel = z.infer<typeof ScenarioDeviceModelSchema>;
export type PolicyName = z.infer<typeof PolicyNameSchema>;

const IdSchema = z.string().min(1, 'expected a non-empty id').max(64, 'expected an id of at most 64 characters');
/** Names and labels: at most 200 characters. */
const NameSchema = z.string().min(1).max(200);

/**
 * Size bounds of one scenario: far above a BCU's month (a few dozen stations, a few thousand shifts and
 * officers), low enough that a hostile file cannot make the server build a huge model. The JSON body limit
 * (5 MB) bounds the whole file as well.
 */
export const SCENARIO_LIMITS = {
  stations: 500,
  shifts: 20_000,
  officers: 10_000,
  devices: 10_000,
  crews: 20_000,
  shiftsPerOfficer: 1_000,
  /** A shift lasts at most this long. */
  shiftHours: 24,
} as const;

const DateOnlySchema = z
  .string({ invalid_type_error: 'expected YYYY-MM-DD' })
  .regex(/^\d{4}-\d{2}-\d{2}$/, 'expected YYYY-MM-DD')
  .refine(
    (s) => !/^\d{4}-\d{2}-\d{2}$/.test(s) || DateTime.fromISO(s, { zone: 'UTC' }).isValid,
    'expected YYYY-MM-DD (not a real calendar date)',
  );

const InstantSchema = z
  .string({ invalid_type_error: 'expected an ISO 8601 instant such as 2026-03-28T22:00:00Z' })
  .datetime({
    offset: true,
    message: 'expected an ISO 8601 instant with Z or an offset, such as 2026-03-28T22:00:00Z',
  });

const ZoneSchema = z
  .string()
  .refine((z) => DateTime.local().setZone(z).isValid, 'expected an IANA time zone such as Europe/London');

export const PolicySchema = z
  .object({
    name: PolicyNameSchema,
    singleCrewRanks: z
      .array(ScenarioRankSchema)
      .max(3)
      .default(() => defaultPolicy().singleCrewRanks),
    authorisationMonths: z.number().int().min(1).max(120).default(DEFAULT_FORCE_SETTINGS.policy.authorisationMonths),
    studentOfficersMayCarry: z.boolean().default(DEFAULT_FORCE_SETTINGS.policy.studentOfficersMayCarry),
    specialsMayCarry: z.boolean().default(DEFAULT_FORCE_SETTINGS.policy.specialsMayCarry),
  })
  .passthrough();
export type Policy = z.infer<typeof PolicySchema>;

export const StationSchema = z
  .object({
    id: IdSchema,
    name: NameSchema.optional(),
    borough: IdSchema.optional(),
    bcu: IdSchema.optional(),
  })
  .passthrough();
export type Station = z.infer<typeof StationSchema>;

export const ShiftSchema = z
  .object({
    id: IdSchema,
    station: IdSchema,
    start: InstantSchema,
    end: InstantSchema,
    /** Optional planner-facing label, e.g. "Bromley nights 28 Mar"; derived when absent. */
    label: NameSchema.optional(),
  })
  .passthrough();
export type Shift = z.infer<typeof ShiftSchema>;

export const TaserSchema = z
  .object({
    lastTrained: DateOnlySchema,
    models: z.array(ScenarioDeviceModelSchema).min(1, 'expected at least one model').max(3),
    endorsed: z.boolean().default(false),
    suspended: z.boolean().default(false),
    volunteer: z.boolean().default(true),
  })
  .passthrough();
export type Taser = z.infer<typeof TaserSchema>;

export const ScenarioOfficerSchema = z
  .object({
    id: IdSchema,
    name: NameSchema.optional(),
    rank: ScenarioRankSchema,
    kind: ScenarioOfficerKindSchema,
    station: IdSchema,
    shifts: z.array(IdSchema).max(SCENARIO_LIMITS.shiftsPerOfficer),
    taser: TaserSchema.nullable(),
  })
  .passthrough();
export type ScenarioOfficer = z.infer<typeof ScenarioOfficerSchema>;

export const ScenarioDeviceSchema = z
  .object({
    serial: IdSchema,
    model: ScenarioDeviceModelSchema,
    station: IdSchema,
    serviceable: z.boolean(),
  })
  .passthrough();
export type ScenarioDevice = z.infer<typeof ScenarioDeviceSchema>;

/** A crew as the planner fixed it (lock) or as a previous plan had it (baseline). */
export const CrewSpecSchema = z
  .object({
    shift: IdSchema,
    members: z.array(IdSchema).min(1).max(2, 'a crew has one or two members'),
    /** Omitted: the solver decides who carries. Given: exactly these carry (an empty list: nobody). */
    carriers: z
      .array(z.object({ officer: IdSchema, device: IdSchema.optional() }).passthrough())
      .max(2)
      .optional(),
  })
  .passthrough();
export type CrewSpec = z.infer<typeof CrewSpecSchema>;

export const ScenarioSchema = z
  .object({
    version: z.literal(1, { errorMap: () => ({ message: 'expected 1' }) }),
    timezone: ZoneSchema.default('Europe/London'),
    policy: PolicySchema,
    stations: z
      .array(StationSchema)
      .min(1, 'expected at least one station')
      .max(SCENARIO_LIMITS.stations, `at most ${SCENARIO_LIMITS.stations} stations`),
    shifts: z.array(ShiftSchema).max(SCENARIO_LIMITS.shifts, `at most ${SCENARIO_LIMITS.shifts} shifts`),
    officers: z
      .array(ScenarioOfficerSchema)
      .max(SCENARIO_LIMITS.officers, `at most ${SCENARIO_LIMITS.officers} officers`),
    devices: z.array(ScenarioDeviceSchema).max(SCENARIO_LIMITS.devices, `at most ${SCENARIO_LIMITS.devices} devices`),
    /** Crews the planner locked: honoured whenever that costs nothing on objective levels 1-3. */
    locks: z.array(CrewSpecSchema).max(SCENARIO_LIMITS.crews).default([]),
    /** Crews of a previous plan: kept where possible when re-solving (minimal change). */
    previousPlan: z
      .object({ crews: z.array(CrewSpecSchema).max(SCENARIO_LIMITS.crews).default([]) })
      .passthrough()
      .optional(),
  })
  .passthrough()
  .superRefine((s, ctx) => crossReferences(s, ctx));
export type Scenario = z.infer<typeof ScenarioSchema>;
/** A scenario as written in JSON, before defaults are applied. */
export type ScenarioInput = z.input<typeof ScenarioSchema>;

type Parsed = {
  stations: Station[];
  shifts: Shift[];
  officers: ScenarioOfficer[];
  devices: ScenarioDevice[];
  locks: CrewSpec[];
  previousPlan?: { crews: CrewSpec[] } | undefined;
};

function crossReferences(s: Parsed, ctx: z.RefinementCtx): void {
  const issue = (path: (string | number)[], message: string): void => {
    ctx.addIssue({ code: z.ZodIssueCode.custom, path, message });
  };
  const stationIds = new Set<string>();
  s.stations.forEach((st, i) => {
    if (stationIds.has(st.id)) issue(['stations', i, 'id'], `duplicate station id ${st.id}`);
    stationIds.add(st.id);
  });
  const shiftById = new Map<string, { start: number; end: number; station: string }>();
  s.shifts.forEach((sh, i) => {
    if (shiftById.has(sh.id)) issue(['shifts', i, 'id'], `duplicate shift id ${sh.id}`);
    if (!stationIds.has(sh.station)) issue(['shifts', i, 'station'], `unknown station ${sh.station}`);
    const start = Date.parse(sh.start);
    const end = Date.parse(sh.end);
    if (!(end > start)) issue(['shifts', i, 'end'], `must be after start (${sh.start})`);
    else if (end - start > SCENARIO_LIMITS.shiftHours * 3_600_000)
      issue(['shifts', i, 'end'], `a shift lasts at most ${SCENARIO_LIMITS.shiftHours} hours`);
    shiftById.set(sh.id, { start, end, station: sh.station });
  });
  const officerById = new Map<string, ReadonlySet<string>>();
  s.officers.forEach((o, i) => {
    if (officerById.has(o.id)) issue(['officers', i, 'id'], `duplicate officer id ${o.id}`);
    if (!stationIds.has(o.station)) issue(['officers', i, 'station'], `unknown station ${o.station}`);
    const seen = new Set<string>();
    o.shifts.forEach((id, j) => {
      if (!shiftById.has(id)) issue(['officers', i, 'shifts', j], `unknown shift ${id}`);
      if (seen.has(id)) issue(['officers', i, 'shifts', j], `shift ${id} listed twice`);
      seen.add(id);
    });
    const mine = [...seen].flatMap((id) => {
      const sh = shiftById.get(id);
      return sh ? [{ id, ...sh }] : [];
    });
    mine.sort((a, b) => a.start - b.start);
    for (let k = 1; k < mine.length; k++) {
      const prev = mine[k - 1]!;
      const cur = mine[k]!;
      if (cur.start < prev.end) issue(['officers', i, 'shifts'], `shifts ${prev.id} and ${cur.id} overlap in time`);
    }
    officerById.set(o.id, seen);
  });
  const serialStation = new Map<string, string>();
  s.devices.forEach((d, i) => {
    if (serialStation.has(d.serial)) issue(['devices', i, 'serial'], `duplicate device serial ${d.serial}`);
    if (!stationIds.has(d.station)) issue(['devices', i, 'station'], `unknown station ${d.station}`);
    serialStation.set(d.serial, d.station);
  });
  const ix: CrewIndex = { shifts: shiftById, officers: officerById, devices: serialStation };
  const checkCrew = (c: CrewSpec, path: (string | number)[]): void => {
    for (const p of crewSpecProblems(ix, c)) issue([...path, ...p.path], p.message);
  };
  s.locks.forEach((c, i) => checkCrew(c, ['locks', i]));
  s.previousPlan?.crews.forEach((c, i) => checkCrew(c, ['previousPlan', 'crews', i]));
}

/** What a crew spec (lock or previous crew) is checked against: the scenario's shifts, officers and devices. */
export type CrewIndex = {
  shifts: ReadonlyMap<string, { station: string }>;
  /** Officer id → the shifts they are on. */
  officers: ReadonlyMap<string, ReadonlySet<string>>;
  /** Device serial → its station. */
  devices: ReadonlyMap<string, string>;
};

/** The index of a (validated) scenario, for {@link crewSpecProblems}. */
export function crewIndexOf(s: Pick<Scenario, 'shifts' | 'officers' | 'devices'>): CrewIndex {
  return {
    shifts: new Map(s.shifts.map((sh) => [sh.id, { station: sh.station }])),
    officers: new Map(s.officers.map((o) => [o.id, new Set(o.shifts)])),
    devices: new Map(s.devices.map((d) => [d.serial, d.station])),
  };
}

/**
 * Why a crew spec cannot be formed in a scenario, one problem per field (empty when it can): the shift
 * must exist, its members be on that shift, carriers be members, devices exist at the shift's station.
 * The one home of this rule: scenario validation reports these as issues, and a re-solve drops previous
 * crews and locks that have one (crew-plan.service).
 */
export function crewSpecProblems(ix: CrewIndex, c: CrewSpec): { path: (string | number)[]; message: string }[] {
  const out: { path: (string | number)[]; message: string }[] = [];
  const sh = ix.shifts.get(c.shift);
  if (!sh) return [{ path: ['shift'], message: `unknown shift ${c.shift}` }];
  c.members.forEach((m, j) => {
    const shifts = ix.officers.get(m);
    if (!shifts) out.push({ path: ['members', j], message: `unknown officer ${m}` });
    else if (!shifts.has(c.shift))
      out.push({ path: ['members', j], message: `officer ${m} is not on shift ${c.shift}` });
  });
  if (c.members.length === 2 && c.members[0] === c.members[1])
    out.push({ path: ['members', 1], message: 'the same officer twice' });
  c.carriers?.forEach((k, j) => {
    if (!c.members.includes(k.officer))
      out.push({ path: ['carriers', j, 'officer'], message: `${k.officer} is not a member of this crew` });
    if (k.device !== undefined) {
      const st = ix.devices.get(k.device);
      if (st === undefined) out.push({ path: ['carriers', j, 'device'], message: `unknown device ${k.device}` });
      else if (st !== sh.station)
        out.push({ path: ['carriers', j, 'device'], message: `device ${k.device} is at ${st}, not at ${sh.station}` });
    }
  });
  return out;
}

/** `officers[3].taser.lastTrained` from a zod path. */
export function formatIssuePath(path: readonly (string | number)[]): string {
  let out = '';
  for (const p of path) out += typeof p === 'number' ? `[${p}]` : out === '' ? p : `.${p}`;
  return out === '' ? '(scenario)' : out;
}

/** One line per problem, each naming the field: `officers[3].taser.lastTrained: expected YYYY-MM-DD`. */
export function formatScenarioIssues(error: z.ZodError): string[] {
  return error.issues.map((i) => {
    let message = i.message;
    if (i.code === z.ZodIssueCode.invalid_type && i.received === 'undefined') message = 'required';
    else if (i.code === z.ZodIssueCode.invalid_type) message = `expected ${i.expected}, got ${i.received}`;
    return `${formatIssuePath(i.path)}: ${message}`;
  });
}

export type ScenarioParseResult = { ok: true; scenario: Scenario } | { ok: false; issues: string[] };

/** Parse and cross-check a scenario; on failure every issue names its field. */
export function parseScenario(input: unknown): ScenarioParseResult {
  const r = ScenarioSchema.safeParse(input);
  return r.success ? { ok: true, scenario: r.data } : { ok: false, issues: formatScenarioIssues(r.error) };
}
