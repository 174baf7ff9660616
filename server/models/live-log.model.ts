import { Schema, model } from 'mongoose';

/**
 * The live side's append-only log (issue 4): device custody, officer custody claims, unit bookings and
 * status, cover alerts. Every document is keyed `_id` = `<kind>:<key>#<version>` and is never updated:
 * FerretDB v1 updates are read-modify-write without isolation, but a duplicate `_id` on insert is refused
 * atomically, so inserting version n+1 IS the claim to change the key from version n (a duplicate means
 * someone else changed it first) and, at once, the audit record of the change. Each record carries the
 * full new state of its key, so the latest record per key is all a restart needs.
 */
const liveLogSchema = new Schema(
  {
    _id: { type: String, required: true },
    /** `custody` (device), `officer` (custody claim), `unit` or `cover`. */
    type: { type: String, required: true },
    key: { type: String, required: true },
    version: { type: Number, required: true },
    at: { type: String, required: true },
  },
  { versionKey: false, strict: false, collection: 'live_log' },
);
export const LiveLogModel = model('LiveLog', liveLogSchema);
