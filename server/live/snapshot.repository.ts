import { packJson, unpackJson, type PackedJson } from '../db/packed-json.js';
import { storeHealth } from '../db/store-health.js';
import { LiveSnapshotChunkModel, LiveSnapshotModel } from '../models/live-snapshot.model.js';
import type { SnapshotEntry } from './read-model.js';

/** The head of a stored snapshot: what it is, when it was taken, by which instance, and its chunks. */
export type SnapshotHead = {
  _id: string;
  /** The entry format (see `SnapshotEntry`); a head of another format is ignored. */
  format: number;
  /** Wall-clock time the read model was copied. */
  takenAt: string;
  /** The instance (live channel origin) that took it. */
  origin: string;
  chunks: number;
  entries: number;
  /** Stored (packed) size of its chunks. */
  bytes: number;
};

/**
 * Entries a chunk. A chunk's entries are stored packed (`packJson`: their JSON text, gzipped, one binary
 * value `z`): the store keeps and sends one opaque value instead of converting thousands of nested documents
 * field by field (a BCU's year, 90k entries, 32 MB of JSON: a minute to read as documents on FerretDB).
 */
const CHUNK = 5000;
const KEEP = 3;

/** The only store access for snapshots; the log itself is server/live/log.repository.ts. */
export const liveSnapshotRepository = {
  /**
   * Stores a snapshot: the chunks first, the head last (the head is what makes it exist). A failure at any
   * point leaves no head, so the previous snapshot stays the latest; orphan chunks are pruned later.
   */
  async write(
    head: Omit<SnapshotHead, 'chunks' | 'entries' | 'bytes'>,
    entries: SnapshotEntry[],
  ): Promise<SnapshotHead> {
    storeHealth.assertWritable();
    const chunks: { _id: string; snapshot: string; n: number; z: Buffer }[] = [];
    for (let i = 0; i * CHUNK < entries.length; i++) {
      const part = entries.slice(i * CHUNK, (i + 1) * CHUNK);
      chunks.push({ _id: `${head._id}:${i}`, snapshot: head._id, n: part.length, z: (await packJson(part))! });
    }
    const bytes = chunks.reduce((n, c) => n + c.z.length, 0);
    for (let i = 0; i < chunks.length; i += 4)
      await LiveSnapshotChunkModel.collection.insertMany(chunks.slice(i, i + 4) as never[], { ordered: true });
    const full: SnapshotHead = { ...head, chunks: chunks.length, entries: entries.length, bytes };
    await LiveSnapshotModel.collection.insertOne(full as never);
    return full;
  },

  /** The snapshot heads of the formats given, newest first. */
  async heads(...formats: number[]): Promise<SnapshotHead[]> {
    const heads = (await LiveSnapshotModel.collection.find({}).toArray()) as unknown as SnapshotHead[];
    return heads.filter((h) => formats.includes(h.format)).sort((a, b) => b.takenAt.localeCompare(a.takenAt));
  },

  /** A snapshot's entries, chunk by chunk by `_id`; null when a chunk is missing (then it is not used). */
  async entries(head: SnapshotHead): Promise<SnapshotEntry[] | null> {
    const ids = Array.from({ length: head.chunks }, (_, i) => `${head._id}:${i}`);
    const docs = await Promise.all(ids.map((id) => LiveSnapshotChunkModel.collection.findOne({ _id: id as never })));
    if (docs.some((d) => !d)) return null;
    const parts = await Promise.all(
      docs.map((d) => {
        const c = d as unknown as { z?: PackedJson; entries?: SnapshotEntry[] };
        return c.z ? (unpackJson(c.z) as Promise<SnapshotEntry[]>) : Promise.resolve(c.entries ?? []);
      }),
    );
    return parts.flat();
  },

  /** Deletes all but the newest `KEEP` heads, then chunks that belong to no head left. */
  async prune(): Promise<void> {
    const heads = (await LiveSnapshotModel.collection.find({}).toArray()) as unknown as SnapshotHead[];
    heads.sort((a, b) => b.takenAt.localeCompare(a.takenAt));
    const old = heads.slice(KEEP).map((h) => h._id);
    if (old.length) await LiveSnapshotModel.collection.deleteMany({ _id: { $in: old as never[] } });
    const kept = new Set(heads.slice(0, KEEP).map((h) => h._id));
    const orphans = (await LiveSnapshotChunkModel.collection
      .find({}, { projection: { _id: 1, snapshot: 1 } })
      .toArray()) as unknown as { _id: string; snapshot: string }[];
    // A chunk of a snapshot another instance is still writing (newer than 10 minutes) is left alone.
    const recent = new Date(Date.now() - 600_000).toISOString();
    const drop = orphans.filter((c) => !kept.has(c.snapshot) && c.snapshot < recent).map((c) => c._id);
    if (drop.length) await LiveSnapshotChunkModel.collection.deleteMany({ _id: { $in: drop as never[] } });
  },
};
