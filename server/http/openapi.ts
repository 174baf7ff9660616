import {
  extendZodWithOpenApi,
  OpenApiGeneratorV31,
  OpenAPIRegistry,
  type RouteConfig,
} from '@asteasolutions/zod-to-openapi';
import { z } from 'zod';
import { rolesFor, type Action, type Resource } from '../../shared/auth/permissions.js';
import {
  AbstractionInputSchema,
  AbstractionPatchSchema,
  AbstractionSchema,
} from '../../shared/schemas/abstraction.schema.js';
import {
  BoardQuerySchema,
  BoardSnapshotSchema,
  BookingInputSchema,
  DeviceLiveSchema,
  UnitLiveSchema,
  UnitStatusInputSchema,
} from '../../shared/schemas/board.schema.js';
import { ErrorBodySchema, PageQuerySchema } from '../../shared/schemas/common.schema.js';
import {
  CliffQuerySchema,
  CliffReportSchema,
  RefresherBookRequestSchema,
  RefresherBookingSchema,
  RefresherPlanRequestSchema,
  RefresherProposalSchema,
} from '../../shared/schemas/refresher.schema.js';
import {
  AmendSchema,
  CreatePlanSchema,
  CrewPlanViewSchema,
  PlanDiffSchema,
  PlanListQuerySchema,
  PlanSummaryPageSchema,
  PublishSchema,
  ResolveSchema,
  SetLocksSchema,
} from '../../shared/schemas/crew-plan.schema.js';
import {
  CustodyEventQuerySchema,
  CustodyEventSchema,
  FaultInputSchema,
  IssueInputSchema,
  RepairInputSchema,
  ReturnInputSchema,
} from '../../shared/schemas/custody.schema.js';
import {
  ArmouryDeviceListSchema,
  ArmouryDeviceQuerySchema,
  PlannedCarriersSchema,
} from '../../shared/schemas/armoury.schema.js';
import { DeviceInputSchema, DevicePatchSchema, DeviceViewSchema } from '../../shared/schemas/device.schema.js';
import {
  ForceSettingsAuditEntrySchema,
  ForceSettingsAuditQuerySchema,
  ForceSettingsSchema,
  ForceSettingsUpdateSchema,
} from '../../shared/schemas/force-settings.schema.js';
import { OfficerInputSchema, OfficerPatchSchema, OfficerSchema } from '../../shared/schemas/officer.schema.js';
import {
  OrgViewSchema,
  StationInputSchema,
  StationPatchSchema,
  StationSchema,
} from '../../shared/schemas/org.schema.js';
import { EditCheckResultSchema, PlanEditsSchema } from '../../shared/schemas/plan-edit.schema.js';
import { PlanSchema } from '../../shared/schemas/plan.schema.js';
import { AuthorisationReportQuerySchema, WhatIfSchema } from '../../shared/schemas/report.schema.js';
import { CoverQuerySchema, CoverReportSchema } from '../../shared/schemas/cover.schema.js';
import { RosterQuerySchema, RosterViewSchema } from '../../shared/schemas/roster.schema.js';
import { ScenarioSchema } from '../../shared/schemas/scenario.schema.js';
import {
  ShiftDefinitionInputSchema,
  ShiftDefinitionPatchSchema,
  ShiftDefinitionSchema,
  TeamInputSchema,
  TeamPatchSchema,
  TeamSchema,
} from '../../shared/schemas/shift.schema.js';
import {
  ActorSchema,
  LoginResultSchema,
  LoginSchema,
  UserInputSchema,
  UserPatchSchema,
  UserSchema,
} from '../../shared/schemas/user.schema.js';
import {
  UseInputSchema,
  UsePatchSchema,
  UseQuerySchema,
  UseRecordSchema,
  UseReviewSchema,
  UseWithHistorySchema,
  PopulationTableSchema,
  PopulationViewSchema,
  QuarterlyQuerySchema,
  ReconciliationQuerySchema,
  ReconciliationSchema,
  QuarterlyReportSchema,
} from '../../shared/schemas/taser-use.schema.js';
import { DutyQuerySchema } from '../services/duty.service.js';

/*
 * The API description, generated from the same zod schemas the routes parse (no hand-written spec). Shared
 * schemas stay free of OpenAPI: `extendZodWithOpenApi` patches zod's prototype here, in the server, once.
 * Every route under /api is one entry of ROUTES; the roles come from shared/auth/permissions.ts and the error
 * statuses from the error ids listed per route (ERROR_STATUS maps each id to its status).
 */
extendZodWithOpenApi(z);

/** Every error id the API answers with, and its status. Add new ids here (a missing one fails the build). */
export const ERROR_STATUS: Record<string, number> = {
  // request shape (parse, body parser, requireJson)
  validation_failed: 400,
  malformed_json: 400,
  bad_request: 400,
  payload_too_large: 413,
  unsupported_media_type: 415,
  unsupported_encoding: 415,
  // authentication and access
  unauthenticated: 401,
  invalid_token: 401,
  invalid_credentials: 401,
  forbidden_role: 403,
  out_of_scope: 403,
  route_not_found: 404,
  // org and reference data
  unknown_borough: 400,
  unknown_station: 400,
  unknown_team: 400,
  unknown_officer: 400,
  unknown_device: 400,
  unknown_scope: 400,
  unit_required: 400,
  cannot_delete_self: 400,
  force_not_found: 404,
  station_not_found: 404,
  team_not_found: 404,
  officer_not_found: 404,
  device_not_found: 404,
  abstraction_not_found: 404,
  shift_definition_not_found: 404,
  user_not_found: 404,
  station_exists: 409,
  team_exists: 409,
  officer_exists: 409,
  device_exists: 409,
  abstraction_exists: 409,
  shift_definition_exists: 409,
  user_exists: 409,
  station_in_use: 409,
  team_in_use: 409,
  use_custody_issue: 409,
  device_issued: 409,
  device_has_history: 409,
  insufficient_rest: 400,
  // plans
  invalid_scenario: 400,
  no_shifts: 400,
  range_too_long: 400,
  too_many_bcus: 400,
  invalid_lock: 400,
  reason_required: 400,
  plan_kept_for_audit: 409,
  plan_not_found: 404,
  plan_not_ready: 409,
  plan_not_draft: 409,
  plan_already_published: 409,
  plan_not_solving: 409,
  plan_not_published: 409,
  plan_solving: 409,
  plan_changed: 409,
  edit_refused: 422,
  // Taser use records
  device_not_held: 422,
  use_in_future: 422,
  device_needs_check: 409,
  cartridges_required: 422,
  cartridges_not_applicable: 422,
  use_already_recorded: 409,
  use_reviewed: 409,
  use_changed: 409,
  use_already_reviewed: 409,
  use_not_reviewed: 409,
  use_not_found: 404,
  note_required: 400,
  invalid_quarter: 400,
  duplicate_borough: 400,
  population_inconsistent: 400,
  // live: units and custody
  unit_not_found: 404,
  unit_busy: 409,
  unit_off_duty: 409,
  shift_not_running: 409,
  already_booked_on: 409,
  not_booked_on: 409,
  device_not_returned: 409,
  device_changed: 409,
  device_not_issued: 409,
  device_not_serviceable: 409,
  wrong_holder: 409,
  officer_holds_device: 409,
  officer_not_on_duty: 409,
  custody_busy: 409,
  device_already_issued: 409,
  device_other_station: 409,
  invalid_device_transition: 409,
  not_in_published_crew: 404,
  settings_changed: 409,
  // refresher planner
  refresher_plan_stale: 409,
  refresher_not_allowed: 400,
  // abuse limits and sessions
  invalid_body: 400,
  uri_too_long: 414,
  session_revoked: 401,
  too_many_attempts: 429,
  login_busy: 503,
  // the store is down or restarting: retry after `Retry-After`
  store_unavailable: 503,
  // anything unexpected
  internal_error: 500,
};

/** Refusals of custody issue by the carrying rules (custody.service REFUSALS); all 409. */
const ISSUE_REFUSALS = [
  'officer_not_authorised',
  'officer_suspended',
  'authorisation_lapsed',
  'model_not_authorised',
  'officer_kind_not_permitted',
];
for (const id of ISSUE_REFUSALS) ERROR_STATUS[id] ??= 409;

type Method = 'get' | 'post' | 'put' | 'patch' | 'delete';
type Ok = { status: number; schema?: z.ZodTypeAny; description: string; csv?: boolean };
export type ApiRoute = {
  method: Method;
  /** OpenAPI path under /api, `{param}` style. */
  path: string;
  summary: string;
  tag: string;
  /** Who may call it: a permission of the matrix, 'public' (no login) or 'any' (any logged-in user). */
  access: { resource: Resource; action: Action } | 'public' | 'any';
  params?: Record<string, string>;
  query?: z.ZodTypeAny;
  body?: z.ZodTypeAny;
  /** True when the body may be left out (the route reads `req.body ?? {}`). */
  bodyOptional?: boolean;
  ok: Ok;
  /** Error ids this route answers with, besides the ones every route shares. */
  errors?: string[];
};

const S = (resource: Resource, action: Action) => ({ resource, action });
const anyObject = (description: string) => z.object({}).passthrough().openapi({ description });
const page = <T extends z.ZodTypeAny>(item: T) =>
  z.object({ items: z.array(item), page: z.number().int(), pageSize: z.number().int(), total: z.number().int() });

/** The five routes of resourceRouter (server/http/routes/resource.routes.ts). */
function resource(
  path: string,
  tag: string,
  perm: Resource,
  noun: string,
  schemas: { item: z.ZodTypeAny; input: z.ZodTypeAny; patch: z.ZodTypeAny; query?: z.ZodTypeAny },
  errors: { create?: string[]; update?: string[]; remove?: string[] } = {},
): ApiRoute[] {
  const one = { key: `The ${noun.replace(/_/g, ' ')}'s key.` };
  const notFound = `${noun}_not_found`;
  return [
    {
      method: 'get',
      path,
      tag,
      summary: `List ${tag.toLowerCase()} (paged; filter by force, bcu, borough, station)`,
      access: S(perm, 'read'),
      query: schemas.query ?? PageQuerySchema,
      ok: { status: 200, schema: page(schemas.item), description: 'One page.' },
    },
    {
      method: 'post',
      path,
      tag,
      summary: `Create a ${noun.replace(/_/g, ' ')}`,
      access: S(perm, 'write'),
      body: schemas.input,
      ok: { status: 201, schema: schemas.item, description: 'Created.' },
      errors: [`${noun}_exists`, ...(errors.create ?? [])],
    },
    {
      method: 'get',
      path: `${path}/{key}`,
      tag,
      summary: `Read one ${noun.replace(/_/g, ' ')}`,
      access: S(perm, 'read'),
      params: one,
      ok: { status: 200, schema: schemas.item, description: 'The record.' },
      errors: [notFound],
    },
    {
      method: 'patch',
      path: `${path}/{key}`,
      tag,
      summary: `Change a ${noun.replace(/_/g, ' ')}`,
      access: S(perm, 'write'),
      params: one,
      body: schemas.patch,
      ok: { status: 200, schema: schemas.item, description: 'The record after the change.' },
      errors: [notFound, ...(errors.update ?? [])],
    },
    {
      method: 'delete',
      path: `${path}/{key}`,
      tag,
      summary: `Delete a ${noun.replace(/_/g, ' ')}`,
      access: S(perm, 'write'),
      params: one,
      ok: { status: 204, description: 'Deleted.' },
      errors: [notFound, ...(errors.remove ?? [])],
    },
  ];
}

const planId = { id: 'The plan id.' };
const PLAN = 'Plans';

/** Every route under /api. */
export const ROUTES: ApiRoute[] = [
  {
    method: 'get',
    path: '/health',
    tag: 'Health',
    summary: 'Liveness and store reachability',
    access: 'public',
    ok: {
      status: 200,
      schema: z
        .object({ status: z.string(), database: z.object({}).passthrough() })
        .passthrough()
        .openapi({ description: '`status` is `ok`, or `degraded` (then answered 503 with the same body).' }),
      description: 'Serving.',
    },
    errors: [],
  },
  {
    method: 'post',
    path: '/auth/login',
    tag: 'Auth',
    summary: 'Log in: a bearer token for the other routes',
    access: 'public',
    body: LoginSchema,
    ok: { status: 200, schema: LoginResultSchema, description: 'Logged in.' },
    errors: ['invalid_credentials', 'too_many_attempts', 'login_busy'],
  },
  {
    method: 'get',
    path: '/auth/me',
    tag: 'Auth',
    summary: 'Who the token stands for',
    access: 'any',
    ok: { status: 200, schema: ActorSchema, description: 'The actor.' },
  },
  {
    method: 'get',
    path: '/org',
    tag: 'Org',
    summary: 'The force and the BCUs, boroughs and stations in the caller’s scope',
    access: S('org', 'read'),
    ok: { status: 200, schema: OrgViewSchema, description: 'The org view.' },
    errors: ['force_not_found'],
  },
  ...resource(
    '/stations',
    'Stations',
    'org',
    'station',
    { item: StationSchema, input: StationInputSchema, patch: StationPatchSchema },
    { create: ['unknown_borough'], remove: ['station_in_use'] },
  ),
  ...resource(
    '/teams',
    'Teams',
    'teams',
    'team',
    { item: TeamSchema, input: TeamInputSchema, patch: TeamPatchSchema },
    {
      create: ['unknown_station', 'insufficient_rest'],
      update: ['unknown_station', 'insufficient_rest'],
      remove: ['team_in_use'],
    },
  ),
  ...resource(
    '/officers',
    'Officers',
    'officers',
    'officer',
    { item: OfficerSchema, input: OfficerInputSchema, patch: OfficerPatchSchema },
    { create: ['unknown_station', 'unknown_team'], update: ['unknown_station', 'unknown_team'] },
  ),
  ...resource(
    '/devices',
    'Devices',
    'devices',
    'device',
    { item: DeviceViewSchema, input: DeviceInputSchema, patch: DevicePatchSchema },
    {
      create: ['unknown_station', 'use_custody_issue'],
      update: ['unknown_station', 'use_custody_issue', 'device_issued', 'device_has_history'],
      remove: ['device_issued', 'device_has_history'],
    },
  ),
  ...resource(
    '/abstractions',
    'Abstractions',
    'abstractions',
    'abstraction',
    { item: AbstractionSchema, input: AbstractionInputSchema, patch: AbstractionPatchSchema },
    { create: ['unknown_officer'], update: ['unknown_officer'] },
  ),
  ...resource('/shift-definitions', 'Shift definitions', 'shift_definitions', 'shift_definition', {
    item: ShiftDefinitionSchema,
    input: ShiftDefinitionInputSchema,
    patch: ShiftDefinitionPatchSchema,
  }),
  ...resource(
    '/users',
    'Users',
    'users',
    'user',
    { item: UserSchema, input: UserInputSchema, patch: UserPatchSchema },
    { create: ['unknown_scope'], update: ['unknown_scope'], remove: ['cannot_delete_self'] },
  ),
  {
    method: 'get',
    path: '/duty',
    tag: 'Duty',
    summary: 'Who is on duty: the shifts of a station, borough or BCU over at most 62 days',
    access: S('duty', 'read'),
    query: DutyQuerySchema,
    ok: {
      status: 200,
      schema: z.object({ shifts: z.array(anyObject('One shift instance with its officers.')) }),
      description: 'The shifts.',
    },
    errors: ['unit_required'],
  },
  {
    method: 'get',
    path: '/force-settings',
    tag: 'Force settings',
    summary: 'The caller’s force’s settings',
    access: S('force_settings', 'read'),
    ok: { status: 200, schema: ForceSettingsSchema, description: 'The settings.' },
  },
  {
    method: 'put',
    path: '/force-settings',
    tag: 'Force settings',
    summary: 'Change the force’s settings (optimistic: send the version you read)',
    access: S('force_settings', 'write'),
    body: ForceSettingsUpdateSchema,
    ok: { status: 200, schema: ForceSettingsSchema, description: 'The settings after the change.' },
    errors: ['settings_changed'],
  },
  {
    method: 'get',
    path: '/force-settings/audit',
    tag: 'Force settings',
    summary: 'The audit trail of the settings, newest first',
    access: S('force_settings_audit', 'read'),
    query: ForceSettingsAuditQuerySchema,
    ok: { status: 200, schema: page(ForceSettingsAuditEntrySchema), description: 'One page.' },
  },
  // plans
  {
    method: 'get',
    path: '/plans',
    tag: PLAN,
    summary: 'List plan summaries (paged, filtered)',
    access: S('plans', 'read'),
    query: PlanListQuerySchema,
    ok: { status: 200, schema: PlanSummaryPageSchema, description: 'One page of summaries.' },
  },
  {
    method: 'post',
    path: '/plans',
    tag: PLAN,
    summary: 'Start a solve (poll GET /plans/{id})',
    access: S('plans', 'write'),
    body: CreatePlanSchema,
    ok: { status: 202, schema: CrewPlanViewSchema, description: 'Accepted: solving.' },
    errors: ['unknown_station', 'no_shifts', 'too_many_bcus'],
  },
  {
    method: 'post',
    path: '/plans/import',
    tag: PLAN,
    summary: 'Import a scenario in the interchange format and solve it',
    access: S('plans', 'write'),
    body: ScenarioSchema,
    ok: { status: 202, schema: CrewPlanViewSchema, description: 'Accepted: solving.' },
    errors: ['invalid_scenario', 'unknown_station', 'too_many_bcus'],
  },
  {
    method: 'get',
    path: '/plans/{id}',
    tag: PLAN,
    summary: 'Read a plan (its progress while solving)',
    access: S('plans', 'read'),
    params: planId,
    ok: { status: 200, schema: CrewPlanViewSchema, description: 'The plan.' },
    errors: ['plan_not_found'],
  },
  {
    method: 'delete',
    path: '/plans/{id}',
    tag: PLAN,
    summary: 'Delete a draft, failed or cancelled plan',
    access: S('plans', 'write'),
    params: planId,
    ok: { status: 204, description: 'Deleted.' },
    errors: ['plan_not_found', 'plan_solving', 'plan_not_draft', 'plan_kept_for_audit'],
  },
  {
    method: 'get',
    path: '/plans/{id}/export',
    tag: PLAN,
    summary: 'The solved plan in the interchange format (a download)',
    access: S('plans', 'read'),
    params: planId,
    ok: { status: 200, schema: PlanSchema, description: 'The plan.' },
    errors: ['plan_not_found', 'plan_not_ready'],
  },
  {
    method: 'get',
    path: '/plans/{id}/scenario',
    tag: PLAN,
    summary: 'The scenario the plan was solved from (a download)',
    access: S('plans', 'read'),
    params: planId,
    ok: { status: 200, schema: anyObject('A scenario in the interchange format.'), description: 'The scenario.' },
    errors: ['plan_not_found'],
  },
  {
    method: 'post',
    path: '/plans/{id}/cancel',
    tag: PLAN,
    summary: 'Cancel a solve',
    access: S('plans', 'write'),
    params: planId,
    ok: { status: 200, schema: CrewPlanViewSchema, description: 'The plan.' },
    errors: ['plan_not_found', 'plan_not_solving'],
  },
  {
    method: 'put',
    path: '/plans/{id}/locks',
    tag: PLAN,
    summary: 'Set the crews a re-solve must keep',
    access: S('plans', 'write'),
    params: planId,
    body: SetLocksSchema,
    ok: { status: 200, schema: CrewPlanViewSchema, description: 'The plan.' },
    errors: ['plan_not_found', 'plan_not_draft', 'plan_changed', 'invalid_lock'],
  },
  {
    method: 'post',
    path: '/plans/{id}/resolve',
    tag: PLAN,
    summary: 'Re-solve a draft, keeping its locked crews',
    access: S('plans', 'write'),
    params: planId,
    body: ResolveSchema,
    bodyOptional: true,
    ok: { status: 202, schema: CrewPlanViewSchema, description: 'Accepted: solving.' },
    errors: ['plan_not_found', 'plan_not_ready', 'plan_not_draft', 'plan_changed', 'invalid_lock'],
  },
  {
    method: 'post',
    path: '/plans/{id}/amend',
    tag: PLAN,
    summary: 'Start a draft amending a published plan',
    access: S('plans', 'write'),
    params: planId,
    body: AmendSchema,
    bodyOptional: true,
    ok: { status: 201, schema: CrewPlanViewSchema, description: 'The new draft.' },
    errors: ['plan_not_found', 'plan_not_published', 'plan_not_ready'],
  },
  {
    method: 'get',
    path: '/plans/{id}/diff',
    tag: PLAN,
    summary: 'What a draft changes against the plan it amends',
    access: S('plans', 'read'),
    params: planId,
    ok: { status: 200, schema: PlanDiffSchema, description: 'The differences.' },
    errors: ['plan_not_found', 'plan_not_ready'],
  },
  {
    method: 'post',
    path: '/plans/{id}/publish',
    tag: PLAN,
    summary: 'Publish a draft (a reason is required when amending)',
    access: S('plans', 'write'),
    params: planId,
    body: PublishSchema,
    bodyOptional: true,
    ok: { status: 200, schema: CrewPlanViewSchema, description: 'The published plan.' },
    errors: [
      'plan_not_found',
      'plan_not_draft',
      'plan_not_ready',
      'plan_changed',
      'reason_required',
      'plan_already_published',
    ],
  },
  {
    method: 'get',
    path: '/plans/{id}/roster',
    tag: PLAN,
    summary: 'The roster view of a plan: officers × days',
    access: S('plans', 'read'),
    params: planId,
    query: RosterQuerySchema,
    ok: { status: 200, schema: RosterViewSchema, description: 'The roster.' },
    errors: ['plan_not_found', 'plan_not_ready'],
  },
  {
    method: 'post',
    path: '/plans/{id}/edits',
    tag: PLAN,
    summary: 'Apply hand edits to a draft (all or none)',
    access: S('plans', 'write'),
    params: planId,
    body: PlanEditsSchema,
    ok: { status: 200, schema: CrewPlanViewSchema, description: 'The plan after the edits.' },
    errors: ['plan_not_found', 'plan_not_draft', 'plan_not_ready', 'plan_changed', 'edit_refused'],
  },
  {
    method: 'post',
    path: '/plans/{id}/edits/check',
    tag: PLAN,
    summary: 'Check hand edits without applying them',
    access: S('plans', 'write'),
    params: planId,
    body: PlanEditsSchema,
    ok: { status: 200, schema: EditCheckResultSchema, description: 'Allowed, or the refusal.' },
    errors: ['plan_not_found', 'plan_not_draft', 'plan_not_ready'],
  },
  // reports
  {
    method: 'post',
    path: '/reports/what-if',
    tag: 'Reports',
    summary:
      'Compare cover over 1 to 28 days under up to four alternatives (policy, extra devices, more trained officers, a suggestion’s change)',
    access: S('reports', 'read'),
    body: WhatIfSchema,
    ok: {
      status: 200,
      schema: anyObject('The cover figures of each variant, per day, and each variant against today as a sentence.'),
      description: 'The comparison.',
    },
    errors: ['unknown_station', 'no_shifts', 'range_too_long', 'unit_not_found'],
  },
  {
    method: 'get',
    path: '/reports/authorisations',
    tag: 'Reports',
    summary: 'Officers whose Taser authorisation has lapsed, lapses soon or is suspended (JSON, or CSV)',
    access: S('reports', 'read'),
    query: AuthorisationReportQuerySchema,
    ok: { status: 200, schema: anyObject('The report.'), description: 'The report.', csv: true },
  },
  {
    method: 'get',
    path: '/reports/cover',
    tag: 'Reports',
    summary:
      'Taser-equipped units per clock hour and shift, planned against actual, against the minimum (JSON, or CSV)',
    access: S('reports', 'read'),
    query: CoverQuerySchema,
    ok: { status: 200, schema: CoverReportSchema, description: 'The cover report.', csv: true },
    errors: ['unit_not_found'],
  },
  {
    method: 'get',
    path: '/reports/authorisation-cliff',
    tag: 'Reports',
    summary: 'In-date Taser carriers per week against what the rota needs, booked refreshers counted (JSON, or CSV)',
    access: S('reports', 'read'),
    query: CliffQuerySchema,
    ok: { status: 200, schema: CliffReportSchema, description: 'The cliff, one row per week.', csv: true },
    errors: ['unit_not_found'],
  },
  {
    method: 'post',
    path: '/reports/refreshers/plan',
    tag: 'Reports',
    summary: 'Propose a refresher course day for each officer due, losing the least Taser cover (CP-SAT)',
    access: S('refreshers', 'read'),
    body: RefresherPlanRequestSchema,
    ok: { status: 200, schema: RefresherProposalSchema, description: 'The proposal, to review and book.' },
    errors: ['unit_not_found'],
  },
  {
    method: 'post',
    path: '/reports/refreshers/book',
    tag: 'Reports',
    summary: 'Book a reviewed refresher proposal as training abstractions (idempotent: 200 when booked before)',
    access: S('refreshers', 'write'),
    body: RefresherBookRequestSchema,
    ok: {
      status: 201,
      schema: RefresherBookingSchema.extend({ repeated: z.boolean() }),
      description: 'Booked: the audit record.',
    },
    errors: ['unit_not_found', 'refresher_plan_stale', 'refresher_not_allowed'],
  },
  // custody
  ...(
    [
      ['issue', 'Issue a device to an officer on duty', IssueInputSchema, 201],
      ['return', 'Receive a device back', ReturnInputSchema, 200],
      ['fault', 'Report a device faulty', FaultInputSchema, 200],
      ['repair', 'Send a device to repair, mark it repaired or retire it', RepairInputSchema, 200],
    ] as const
  ).map(([what, summary, body, status]): ApiRoute => ({
    method: 'post',
    path: `/custody/${what}`,
    tag: 'Custody',
    summary,
    access: S('custody', 'write'),
    body,
    ok: {
      status,
      schema: z.object({ device: DeviceLiveSchema, record: CustodyEventSchema }),
      description: 'The device after the change and the custody event recorded.',
    },
    errors: [
      'device_not_found',
      'device_changed',
      ...(what === 'issue'
        ? [
            'officer_not_found',
            'officer_not_on_duty',
            'officer_holds_device',
            'device_not_serviceable',
            'device_needs_check',
            'device_already_issued',
            'device_other_station',
            'custody_busy',
            ...ISSUE_REFUSALS,
          ]
        : what === 'return'
          ? ['device_not_issued', 'wrong_holder']
          : ['device_issued', 'device_not_serviceable', 'invalid_device_transition']),
    ],
  })),
  {
    method: 'get',
    path: '/custody/events',
    tag: 'Custody',
    summary: 'The custody audit trail (paged, filtered)',
    access: S('custody', 'read'),
    query: CustodyEventQuerySchema,
    ok: { status: 200, schema: page(CustodyEventSchema), description: 'One page.' },
  },
  // the armourer's lists
  {
    method: 'get',
    path: '/armoury/{station}/devices',
    tag: 'Custody',
    summary: 'A station’s devices with holder, last return and faults (search by serial or holder, filter by state)',
    access: S('armoury', 'read'),
    params: { station: 'The station code, e.g. BR.' },
    query: ArmouryDeviceQuerySchema,
    ok: { status: 200, schema: ArmouryDeviceListSchema, description: 'The devices, by serial.' },
    errors: ['station_not_found'],
  },
  {
    method: 'get',
    path: '/armoury/{station}/planned-carriers',
    tag: 'Custody',
    summary: 'The published plan’s carriers for the shifts whose issue window is open or opens next',
    access: S('armoury', 'read'),
    params: { station: 'The station code, e.g. BR.' },
    ok: { status: 200, schema: PlannedCarriersSchema, description: 'The shifts, the issue lead and the carriers.' },
    errors: ['station_not_found'],
  },
  // live board
  ...(
    [
      ['book-on', 'Book an officer on to their published crew', BookingInputSchema],
      ['book-off', 'Book an officer off', BookingInputSchema],
      ['status', 'Set a unit’s status', UnitStatusInputSchema],
    ] as const
  ).map(([what, summary, body]): ApiRoute => ({
    method: 'post',
    path: `/units/${what}`,
    tag: 'Board',
    summary,
    access: S('board', 'write'),
    body,
    ok: { status: 200, schema: UnitLiveSchema, description: 'The unit after the change.' },
    errors: [
      'unit_not_found',
      'unit_busy',
      'shift_not_running',
      ...(what === 'book-on'
        ? ['already_booked_on', 'not_in_published_crew']
        : what === 'book-off'
          ? ['not_booked_on', 'device_not_returned']
          : ['unit_off_duty']),
    ],
  })),
  {
    method: 'get',
    path: '/board',
    tag: 'Board',
    summary: 'The board of a unit: devices, units and cover alerts, with a summary',
    access: S('board', 'read'),
    query: BoardQuerySchema,
    ok: {
      status: 200,
      schema: BoardSnapshotSchema.extend({ summary: anyObject('Counts for the board header.') }),
      description: 'The snapshot.',
    },
    errors: ['unit_not_found'],
  },
];

const USES = 'Taser use';
const useId = { id: 'The use record id.' };
/** Taser use records (issue 11): server/http/routes/uses.routes.ts. */
const USE_ROUTES: ApiRoute[] = [
  {
    method: 'get',
    path: '/uses',
    tag: USES,
    summary: 'Taser use records in scope (paged; filter by unit, officer, quarter, status)',
    access: S('uses', 'read'),
    query: UseQuerySchema,
    ok: { status: 200, schema: page(UseRecordSchema), description: 'One page, newest first.' },
  },
  {
    method: 'post',
    path: '/uses',
    tag: USES,
    summary: 'Record a use (per officer per subject, the highest use), checked against the custody log',
    access: S('uses', 'write'),
    body: UseInputSchema,
    ok: { status: 201, schema: UseRecordSchema, description: 'The record as stored.' },
    errors: [
      'unknown_officer',
      'unknown_device',
      'device_not_held',
      'use_in_future',
      'cartridges_required',
      'cartridges_not_applicable',
      'use_already_recorded',
    ],
  },
  {
    method: 'get',
    path: '/uses/{id}',
    tag: USES,
    summary: 'One use record with its history (every change, who and when)',
    access: S('uses', 'read'),
    params: useId,
    ok: { status: 200, schema: UseWithHistorySchema, description: 'The record and its history.' },
    errors: ['use_not_found'],
  },
  {
    method: 'patch',
    path: '/uses/{id}',
    tag: USES,
    summary: 'Change a use record that is submitted or reopened',
    access: S('uses', 'write'),
    params: useId,
    body: UsePatchSchema,
    ok: { status: 200, schema: UseRecordSchema, description: 'The record after the change.' },
    errors: [
      'use_not_found',
      'use_reviewed',
      'use_changed',
      'device_not_held',
      'use_in_future',
      'cartridges_required',
      'cartridges_not_applicable',
    ],
  },
  ...(
    [
      ['review', 'A supervisor reviews a use record', ['use_already_reviewed']],
      [
        'reopen',
        'A supervisor reopens a reviewed record (with a note saying why)',
        ['use_not_reviewed', 'note_required'],
      ],
    ] as const
  ).map(([what, summary, errors]): ApiRoute => ({
    method: 'post',
    path: `/uses/{id}/${what}`,
    tag: USES,
    summary,
    access: S('use_reviews', 'write'),
    params: useId,
    body: UseReviewSchema,
    bodyOptional: true,
    ok: { status: 200, schema: UseRecordSchema, description: 'The record after the change.' },
    errors: ['use_not_found', 'use_changed', ...errors],
  })),
  {
    method: 'get',
    path: '/reports/taser-use/quarterly',
    tag: USES,
    summary:
      'The quarterly publication by borough: uses by category, discharges, age, gender, ethnicity, rates (JSON, or CSV)',
    access: S('use_statistics', 'read'),
    query: QuarterlyQuerySchema,
    ok: { status: 200, schema: QuarterlyReportSchema, description: 'The publication.', csv: true },
    errors: ['invalid_quarter'],
  },
  {
    method: 'get',
    path: '/reports/taser-use/reconciliation',
    tag: USES,
    summary:
      'Discharges with no device check recorded since, and devices returned as discharged with no use recorded for them',
    access: S('uses', 'read'),
    query: ReconciliationQuerySchema,
    ok: { status: 200, schema: ReconciliationSchema, description: 'What to chase.' },
  },
  {
    method: 'get',
    path: '/population',
    tag: USES,
    summary: 'Resident population by borough and broad ethnic group (what the rates read), with its source',
    access: S('population', 'read'),
    ok: { status: 200, schema: PopulationViewSchema, description: 'The table in use.' },
  },
  {
    method: 'put',
    path: '/population',
    tag: USES,
    summary: 'Replace the population table (force-wide administrators)',
    access: S('population', 'write'),
    body: PopulationTableSchema,
    ok: { status: 200, schema: PopulationViewSchema, description: 'The table as stored.' },
    errors: ['unknown_borough', 'duplicate_borough', 'population_inconsistent'],
  },
];
ROUTES.push(...USE_ROUTES);
/** True when the route's query names a unit (`bcu`, `borough`, `station`): an unknown one is 404 `unit_not_found`. */
function takesUnitFilter(r: ApiRoute): boolean {
  let q: z.ZodTypeAny | undefined = r.query;
  while (q instanceof z.ZodEffects) q = q.innerType() as z.ZodTypeAny;
  return q instanceof z.ZodObject && ['bcu', 'borough', 'station'].some((k) => k in (q as z.AnyZodObject).shape);
}

/** The error ids every route can answer with, by what the route takes. */
function commonErrors(r: ApiRoute): string[] {
  const ids: string[] = [];
  if (r.access !== 'public') ids.push('unauthenticated', 'invalid_token', 'session_revoked');
  if (typeof r.access === 'object') ids.push('forbidden_role');
  if (typeof r.access === 'object' && r.access.resource !== 'force_settings' && r.access.resource !== 'users')
    ids.push('out_of_scope');
  if (takesUnitFilter(r)) ids.push('unit_not_found');
  if (r.query || r.body || r.params) ids.push('validation_failed');
  if (r.body) ids.push('malformed_json', 'bad_request', 'payload_too_large', 'unsupported_media_type', 'invalid_body');
  if (r.params) ids.push('route_not_found');
  ids.push('uri_too_long');
  if (r.path !== '/health') ids.push('store_unavailable');
  ids.push('internal_error');
  return ids;
}

/** `planner, admin` for a permission of the matrix. */
function rolesText(r: ApiRoute): string {
  if (r.access === 'public') return 'Public: no login needed.';
  if (r.access === 'any') return 'Roles: any logged-in user.';
  const roles = rolesFor(r.access.resource, r.access.action);
  const scoped = r.access.resource === 'force_settings' || r.access.resource === 'force_settings_audit';
  return `Roles: ${roles.join(', ') || 'none'} (permission \`${r.access.resource}:${r.access.action}\`${scoped ? ', own force' : ', within the caller’s scope'}).`;
}

const unwrapObject = (s: z.ZodTypeAny): z.AnyZodObject => {
  let cur = s;
  while (cur instanceof z.ZodEffects) cur = cur.innerType() as z.ZodTypeAny;
  if (!(cur instanceof z.ZodObject)) throw new Error('a query schema must be an object');
  return cur as z.AnyZodObject;
};

const ErrorResponse = ErrorBodySchema.openapi('Error', {
  description: 'The one error shape: a stable snake_case `id`, a message for people, and sometimes `details`.',
});

function toRouteConfig(r: ApiRoute): RouteConfig {
  const errorIds = [...new Set([...commonErrors(r), ...(r.errors ?? [])])];
  const byStatus = new Map<number, string[]>();
  for (const id of errorIds) {
    const status = ERROR_STATUS[id];
    if (status === undefined) throw new Error(`openapi: error id ${id} has no status in ERROR_STATUS`);
    byStatus.set(status, [...(byStatus.get(status) ?? []), id]);
  }
  const responses: RouteConfig['responses'] = {};
  const ok = r.ok;
  responses[String(ok.status)] = ok.schema
    ? {
        description: ok.description,
        content: {
          'application/json': { schema: ok.schema },
          ...(ok.csv ? { 'text/csv': { schema: z.string() } } : {}),
        },
      }
    : { description: ok.description };
  if (r.path === '/health') {
    responses['503'] = {
      description: 'The store is unreachable: `status` is `degraded`.',
      content: { 'application/json': { schema: ok.schema! } },
    };
  }
  for (const [status, ids] of [...byStatus].sort((a, b) => a[0] - b[0])) {
    responses[String(status)] = {
      description: `Error ids: ${ids.map((i) => `\`${i}\``).join(', ')}.`,
      content: { 'application/json': { schema: ErrorResponse } },
    };
  }
  const description = [
    rolesText(r),
    `Error ids: ${errorIds.map((i) => `\`${i}\` (${ERROR_STATUS[i]})`).join(', ')}.`,
  ].join('\n\n');
  return {
    method: r.method,
    path: r.path,
    operationId: `${r.method}${r.path.replace(/[{}]/g, '').replace(/[/-]+(\w)/g, (_m, c: string) => c.toUpperCase())}`,
    tags: [r.tag],
    summary: r.summary,
    description,
    ...(r.access === 'public' ? { security: [] } : {}),
    request: {
      ...(r.params
        ? {
            params: z.object(
              Object.fromEntries(
                Object.entries(r.params).map(([k, d]) => [k, z.string().min(1).openapi({ description: d })]),
              ),
            ),
          }
        : {}),
      ...(r.query ? { query: unwrapObject(r.query) } : {}),
      ...(r.body ? { body: { required: !r.bodyOptional, content: { 'application/json': { schema: r.body } } } } : {}),
    },
    responses,
  };
}

/** The OpenAPI 3.1 document of the whole API (generated once at start; cheap to call again). */
export function openApiDocument(): ReturnType<OpenApiGeneratorV31['generateDocument']> {
  const registry = new OpenAPIRegistry();
  registry.registerComponent('securitySchemes', 'bearer', {
    type: 'http',
    scheme: 'bearer',
    bearerFormat: 'JWT',
    description: 'The `token` from `POST /api/auth/login`.',
  });
  registry.register('Error', ErrorResponse);
  for (const r of ROUTES) registry.registerPath(toRouteConfig(r));
  return new OpenApiGeneratorV31(registry.definitions).generateDocument({
    openapi: '3.1.0',
    info: {
      title: 'Taser crewing planner API',
      version: '1',
      description:
        'Generated from the zod schemas the routes parse (server/http/openapi.ts). Every error answers ' +
        '`{ error: { id, message, details? } }`; each operation lists the roles allowed and its error ids.',
    },
    servers: [{ url: '/api' }],
    security: [{ bearer: [] }],
  });
}
