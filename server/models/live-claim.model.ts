import { Schema, model } from 'mongoose';

/**
 * One document per versioned change: `_id` is `<kind>:<key>#<new version>`. FerretDB v1 applies updates as
 * read-modify-write without isolation (two concurrent `$inc`s can lose one), but a unique key on insert is
 * enforced by SQLite atomically; so a writer first claims the version it wants to write, and only the one
 * that wins the claim writes the document. Claims stay as a record of every version written.
 */
export const LiveClaimModel = model(
  'LiveClaim',
  new Schema({ _id: { type: String, required: true }, at: { type: Date, required: true } }, { versionKey: false }),
);
