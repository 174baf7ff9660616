import { Schema, model } from 'mongoose';

/**
 * A force's settings, insert-only: one document per saved version, `_id` = `<force>#<version>`, never updated.
 * FerretDB v1 applies updates without isolation, but refuses a duplicate `_id` on insert atomically, so
 * inserting version n+1 IS the claim to change the settings from version n (a duplicate means another admin
 * saved first) and, at once, the audit record of the change. The latest version per force is in force.
 */
const forceSettingsSchema = new Schema(
  {
    _id: { type: String, required: true },
    force: { type: String, required: true, index: true },
    version: { type: Number, required: true },
    at: { type: String, required: true },
    by: { type: String, required: true },
    settings: { type: Schema.Types.Mixed, required: true },
    before: { type: Schema.Types.Mixed, required: true },
  },
  { versionKey: false, strict: false, collection: 'force_settings' },
);
export const ForceSettingsModel = model('ForceSettings', forceSettingsSchema);
