import { Schema, model } from 'mongoose';
import { placementFields } from './placement.js';

/**
 * Taser use records (issue 11). `taser_uses` holds each record as it stands now; `taser_use_versions` is its
 * insert-only history: every change (recorded, edited, reviewed, reopened) inserts version n+1 keyed
 * `<id>#<n+1>` first — the atomic claim to change the record (a duplicate means someone else changed it) and the
 * audit entry at once — and only then moves the current record on, guarded by version n.
 */
export const TaserUseModel = model(
  'TaserUse',
  new Schema(
    {
      id: { type: String, required: true, unique: true },
      /** `<incident>|<subject>|<officer>`: one record per officer per subject per incident. */
      subjectKey: { type: String, required: true, unique: true },
      officer: { type: String, required: true, index: true },
      device: { type: String, required: true, index: true },
      quarter: { type: String, required: true, index: true },
      status: { type: String, required: true, index: true },
      at: { type: String, required: true, index: true },
      version: { type: Number, required: true },
      record: { type: Schema.Types.Mixed, required: true },
      ...placementFields,
    },
    { versionKey: false, strict: 'throw', collection: 'taser_uses' },
  ),
);

export const TaserUseVersionModel = model(
  'TaserUseVersion',
  new Schema(
    {
      _id: { type: String, required: true },
      id: { type: String, required: true, index: true },
      version: { type: Number, required: true },
      action: { type: String, required: true },
      by: { type: String, required: true },
      at: { type: String, required: true },
      note: { type: String, default: null },
      record: { type: Schema.Types.Mixed, required: true },
    },
    { versionKey: false, strict: 'throw', collection: 'taser_use_versions' },
  ),
);

/** Resident population by borough and broad ethnic group, one document per force (configuration). */
export const PopulationModel = model(
  'Population',
  new Schema(
    {
      force: { type: String, required: true, unique: true },
      table: { type: Schema.Types.Mixed, required: true },
      updatedAt: { type: String, required: true },
      updatedBy: { type: String, required: true },
    },
    { versionKey: false, strict: 'throw', collection: 'population' },
  ),
);
