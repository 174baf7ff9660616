import mongoose from 'mongoose';
import { AppError, StoreUnavailableError } from '../errors.js';

/**
 * The one place that reads the store's errors: which ones mean a unique key was broken (MongoDB's and
 * FerretDB's forms), and which ones mean the store is unreachable (a connection-class error of the driver or
 * of mongoose), whatever shape they arrive in.
 */

type Loose = { code?: unknown; codeName?: unknown; errmsg?: unknown; message?: unknown; name?: unknown };

const textOf = (e: Loose): string =>
  `${typeof e.errmsg === 'string' ? e.errmsg : ''} ${typeof e.message === 'string' ? e.message : ''}`;

/**
 * True when a write broke a unique key: MongoDB and FerretDB say code 11000 (`DuplicateKey`); FerretDB v1
 * names SQLite's constraint in an InternalError (code 1) on some paths (`UNIQUE constraint failed`).
 */
export function isDuplicateKey(e: unknown): boolean {
  if (typeof e !== 'object' || e === null) return false;
  const x = e as Loose;
  if (x.code === 11000 || x.code === 11001 || x.codeName === 'DuplicateKey') return true;
  return /UNIQUE constraint failed|duplicate key/i.test(textOf(x));
}

const CONNECTION_CLASS = new Set([
  'MongoNetworkError',
  'MongoNetworkTimeoutError',
  'MongoServerSelectionError',
  'MongooseServerSelectionError',
  'MongoNotConnectedError',
  'MongoTopologyClosedError',
  'MongoPoolClearedError',
  'PoolClearedError',
  'PoolClearedOnNetworkError',
  'MongoServerClosedError',
  'MongoClientClosedError',
  'MongoOperationTimeoutError',
  'MongoExpiredSessionError',
  'MongoUnexpectedServerResponseError',
]);
const CONNECTION_LABELS = ['NetworkError', 'ResetPool', 'RetryableWriteError', 'InterruptInUseConnections'];
const CONNECTION_TEXT =
  /buffering timed out|before initial connection is complete|Client must be connected|Topology is closed|connection .* closed|ECONNREFUSED|ECONNRESET|EPIPE|socket hang up|server selection timed out|Connection pool .* cleared|database is locked/i;

/** Whether an error is, or wraps, one that says the store could not be reached (the write's fate unknown). */
export function isStoreUnavailable(e: unknown, depth = 0): boolean {
  if (e instanceof StoreUnavailableError) return true;
  if (typeof e !== 'object' || e === null || depth > 4) return false;
  const x = e as Loose & { errorLabels?: unknown; errorLabelSet?: unknown; cause?: unknown; reason?: unknown };
  const mongo = mongoose.mongo;
  if (
    e instanceof mongo.MongoNetworkError ||
    e instanceof mongo.MongoServerSelectionError ||
    e instanceof mongo.MongoNotConnectedError ||
    e instanceof mongo.MongoTopologyClosedError
  )
    return true;
  if (typeof x.name === 'string' && CONNECTION_CLASS.has(x.name)) return true;
  const labels =
    e instanceof mongo.MongoError
      ? CONNECTION_LABELS.filter((l) => e.hasErrorLabel(l))
      : Array.isArray(x.errorLabels)
        ? CONNECTION_LABELS.filter((l) => (x.errorLabels as unknown[]).includes(l))
        : [];
  if (labels.length) return true;
  if (CONNECTION_TEXT.test(textOf(x))) return true;
  return isStoreUnavailable(x.cause, depth + 1) || isStoreUnavailable(x.reason, depth + 1);
}

/** Whether an error came from the store at all (the driver or mongoose), rather than from our own code. */
export function isStoreError(e: unknown): boolean {
  if (isStoreUnavailable(e)) return true;
  return e instanceof mongoose.mongo.MongoError || e instanceof mongoose.Error;
}

/**
 * What a failed write becomes: an application error stays itself; any other failure of the store, whatever
 * its shape, is a `StoreUnavailableError` (503 `store_unavailable`, retryable): it was not acknowledged.
 */
export function asWriteFailure(e: unknown): unknown {
  if (e instanceof AppError) return e;
  return new StoreUnavailableError();
}
