import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import mongoose from 'mongoose';
import { asWriteFailure, isDuplicateKey, isStoreUnavailable } from '../../../server/db/store-errors.js';
import { ConflictError, StoreUnavailableError } from '../../../server/errors.js';

const m = mongoose.mongo;

describe('the duplicate-key detector', () => {
  it("recognises MongoDB's and FerretDB's forms of a broken unique key", () => {
    assert.equal(isDuplicateKey(new m.MongoServerError({ message: 'E11000 duplicate key error', code: 11000 })), true);
    assert.equal(isDuplicateKey({ code: 11001 }), true);
    assert.equal(isDuplicateKey({ codeName: 'DuplicateKey' }), true);
    // FerretDB v1 (SQLite) on some paths: an InternalError, code 1, naming the constraint.
    assert.equal(
      isDuplicateKey({ code: 1, codeName: 'InternalError', errmsg: 'UNIQUE constraint failed: _ferretdb_x._id' }),
      true,
    );
    assert.equal(isDuplicateKey(new Error('UNIQUE constraint failed: t.id')), true);
    // A write error entry of a bulk write (index, code, errmsg).
    assert.equal(isDuplicateKey({ index: 3, code: 11000, errmsg: 'duplicate key' }), true);
  });

  it('says no to anything else', () => {
    assert.equal(isDuplicateKey(new m.MongoNetworkError('connection 3 to 127.0.0.1:1 closed')), false);
    assert.equal(isDuplicateKey({ code: 1, errmsg: 'database is locked' }), false);
    assert.equal(isDuplicateKey(null), false);
    assert.equal(isDuplicateKey('E11000'), false);
  });
});

describe('the store-unavailable classifier', () => {
  it('recognises connection-class errors of the driver and of mongoose', () => {
    for (const e of [
      new m.MongoNetworkError('connection 3 to 127.0.0.1:27017 closed'),
      new m.MongoNetworkTimeoutError('timed out'),
      new m.MongoServerSelectionError('Server selection timed out after 10000 ms', {
        type: 'Unknown',
        servers: new Map(),
      } as never),
      new m.MongoNotConnectedError('Client must be connected before running operations'),
      new m.MongoTopologyClosedError(),
      new mongoose.Error.MongooseServerSelectionError('connect ECONNREFUSED 127.0.0.1:27017'),
      new mongoose.Error('Operation `live_log.insertMany()` buffering timed out after 10000ms'),
      Object.assign(new Error('Connection pool for 127.0.0.1:1 was cleared because another operation failed'), {
        name: 'MongoPoolClearedError',
      }),
      new StoreUnavailableError(),
    ])
      assert.equal(isStoreUnavailable(e), true, `${(e as Error).name}: ${(e as Error).message}`);
  });

  it('sees a network error inside the bulk-write error of an insertMany (empty writeErrors)', () => {
    const bulk = new m.MongoBulkWriteError(
      { message: 'connection 7 to 127.0.0.1:1 closed', writeErrors: [] } as never,
      { insertedCount: 0 } as never,
    );
    assert.deepEqual(bulk.writeErrors, []);
    const labelled = new m.MongoNetworkError('closed');
    assert.equal(isStoreUnavailable(bulk), true);
    assert.equal(isStoreUnavailable({ cause: labelled }), true);
  });

  it('says no to application errors and ordinary failures', () => {
    assert.equal(isStoreUnavailable(new ConflictError('x', 'device_changed')), false);
    assert.equal(isStoreUnavailable(new m.MongoServerError({ message: 'E11000 duplicate key', code: 11000 })), false);
    assert.equal(isStoreUnavailable(new TypeError('x is undefined')), false);
  });

  it('turns any failed write into store_unavailable (503, retryable), and leaves application errors be', () => {
    const e = asWriteFailure(new m.MongoServerError({ message: 'something odd', code: 1 })) as StoreUnavailableError;
    assert.ok(e instanceof StoreUnavailableError);
    assert.deepEqual([e.status, e.id, e.details], [503, 'store_unavailable', { retryable: true }]);
    const c = new ConflictError('taken', 'device_exists');
    assert.equal(asWriteFailure(c), c);
  });
});
