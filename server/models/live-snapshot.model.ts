import { Schema, model } from 'mongoose';

/**
 * Snapshots of the live read model (server/live/snapshots.ts). A snapshot is its chunks
 * (`live_snapshot_chunks`, `_id` = `<snapshot id>:<n>`, up to a few thousand entries each) and then its head
 * (`live_snapshots`), written last: a snapshot without a head does not exist, so a write cut short by a
 * store outage leaves the previous snapshot the latest valid one. Both are insert-only; old ones are pruned.
 */
const headSchema = new Schema(
  {
    _id: { type: String, required: true },
    format: { type: Number, required: true },
    takenAt: { type: String, required: true },
  },
  { versionKey: false, strict: false, collection: 'live_snapshots' },
);
export const LiveSnapshotModel = model('LiveSnapshot', headSchema);

const chunkSchema = new Schema(
  { _id: { type: String, required: true } },
  { versionKey: false, strict: false, collection: 'live_snapshot_chunks' },
);
export const LiveSnapshotChunkModel = model('LiveSnapshotChunk', chunkSchema);
