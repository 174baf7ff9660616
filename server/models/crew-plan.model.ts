import { Schema, model } from 'mongoose';
import { schemaOptions } from './placement.js';

/** A crew plan for a unit and date range: a solve job's result, drafted, edited and published. */
export const CrewPlanModel = model(
  'CrewPlan',
  new Schema(
    {
      // The plan id itself (older stores: an ObjectId). FerretDB v1 (SQLite) pushes down only an `_id`
      // equality to its store; any other filter reads every document, so a read by `_id` stays fast.
      _id: { type: Schema.Types.Mixed },
      id: { type: String, required: true, unique: true },
      force: { type: String, required: true, index: true },
      bcu: { type: String, required: true, index: true },
      borough: { type: String, index: true },
      station: { type: String, index: true },
      unit: { type: new Schema({ level: String, id: String }, { _id: false }), required: true },
      from: { type: String, required: true },
      to: { type: String, required: true },
      status: { type: String, required: true, index: true },
      startedAt: { type: Date, required: true, index: true },
      progress: { type: Schema.Types.Mixed, default: null },
      error: { type: Schema.Types.Mixed, default: null },
      scenario: { type: Schema.Types.Mixed, default: null },
      plan: { type: Schema.Types.Mixed, default: null },
      supersededBy: { type: String, default: null },
      locks: { type: [Schema.Types.Mixed], default: [] },
      basedOn: { type: String, default: null },
      createdBy: { type: String, required: true },
      publishedBy: { type: String, default: null },
      publishedAt: { type: Date, default: null },
      publishReason: { type: String, default: null },
      revision: { type: Number, default: 0 },
      policyName: { type: String, default: null },
      stats: { type: Schema.Types.Mixed, default: null },
      amends: { type: String, default: null, index: true },
      amendment: { type: Number, default: null },
      dropped: { type: [Schema.Types.Mixed], default: [] },
      editCount: { type: Number, default: 0 },
      /** The version `v` of the plan's body as last written (see CrewPlanBodyModel). */
      bodyV: { type: String, default: null },
    },
    { ...schemaOptions, strict: true },
  ).index({ startedAt: -1, id: 1 }),
);

/**
 * The large parts of a crew plan (its scenario and its plan), one document per plan beside the small
 * plan document, so that listing and status changes never read or send them. Each is stored as gzipped
 * JSON in a Buffer (`scenarioZ`, `planZ`): the store then keeps one binary value instead of tens of
 * thousands of small documents it would have to parse and encode on every read. `scenario` and `plan`
 * are the unpacked form older stores hold (still read; cleared when the body is next written). `v`
 * changes on every write of the body: the key of the in-memory cache of unpacked bodies.
 */
export const CrewPlanBodyModel = model(
  'CrewPlanBody',
  new Schema(
    {
      // The plan id (older stores: an ObjectId), read by `_id` (see CrewPlanModel).
      _id: { type: Schema.Types.Mixed },
      id: { type: String, required: true, unique: true },
      v: { type: String, default: null },
      scenarioZ: { type: Buffer, default: null },
      planZ: { type: Buffer, default: null },
      scenario: { type: Schema.Types.Mixed, default: null },
      plan: { type: Schema.Types.Mixed, default: null },
    },
    { versionKey: false, minimize: false },
  ),
);

/**
 * One crew of a published plan, one document each, so the live side can find an officer's planned
 * crew for a shift with a single indexed query.
 */
const publishedCrewSchema = new Schema(
  {
    plan: { type: String, required: true, index: true },
    shift: { type: String, required: true, index: true },
    force: { type: String, required: true },
    bcu: { type: String, required: true },
    borough: { type: String, required: true, index: true },
    station: { type: String, required: true, index: true },
    start: { type: String, required: true },
    end: { type: String, required: true },
    callSign: { type: String, required: true },
    members: { type: [String], required: true, index: true },
    carriers: { type: [new Schema({ officer: String, device: String }, { _id: false })], default: [] },
  },
  schemaOptions,
);
publishedCrewSchema.index({ shift: 1, callSign: 1 }, { unique: true });
export const PublishedCrewModel = model('PublishedCrew', publishedCrewSchema);

/**
 * One document per status a plan has left, `_id` = `<plan>:<status>`. FerretDB v1 applies updates without
 * isolation, but a unique `_id` on insert is enforced atomically: inserting this first decides, once,
 * which of two racing writers (a finishing solve and a cancel, two publishes) moves the plan on.
 */
export const PlanTransitionModel = model(
  'PlanTransition',
  new Schema(
    { _id: { type: String, required: true }, at: { type: Date, required: true }, by: { type: String, required: true } },
    { versionKey: false },
  ),
);
