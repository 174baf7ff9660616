import { LiveClaimModel } from '../models/live-claim.model.js';

/**
 * True when a write broke a unique index. MongoDB says 11000; FerretDB v1 reports a unique violation inside
 * findAndModify/update as an InternalError naming SQLite's constraint.
 */
export const isUniqueViolation = (e: unknown, index?: string): boolean => {
  if (typeof e !== 'object' || e === null) return false;
  const { code, message } = e as { code?: unknown; message?: unknown };
  const text = typeof message === 'string' ? message : '';
  if (index && !text.includes(index) && code !== 11000) return false;
  return code === 11000 || /UNIQUE constraint failed|duplicate key/i.test(text);
};

/** A claim older than this whose document never reached the claimed version was left by a crash. */
const STALE_CLAIM_MS = 30_000;

/**
 * Claims the right to write version `version` of a document: true for exactly one caller. When an old
 * claim is found for a version the document never reached (`stillAt` says the document is still at the
 * version before), the writer that made it died between claim and write, and the claim is taken over.
 */
export async function claimVersion(
  kind: string,
  key: string,
  version: number,
  stillAt: () => Promise<boolean>,
): Promise<boolean> {
  const _id = `${kind}:${key}#${version}`;
  for (let attempt = 0; attempt < 2; attempt++) {
    try {
      await LiveClaimModel.create({ _id, at: new Date() });
      return true;
    } catch (e) {
      if (!isUniqueViolation(e)) throw e;
    }
    const existing = await LiveClaimModel.findById(_id).lean<{ at: Date }>();
    if (!existing || Date.now() - existing.at.getTime() < STALE_CLAIM_MS || !(await stillAt())) return false;
    await LiveClaimModel.deleteOne({ _id, at: existing.at });
  }
  return false;
}

/** Gives a claim back after the write it guarded was refused, so the version can be written by someone else. */
export async function releaseVersion(kind: string, key: string, version: number): Promise<void> {
  await LiveClaimModel.deleteOne({ _id: `${kind}:${key}#${version}` });
}
