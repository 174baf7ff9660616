import { liveLogRepository } from './log.repository.js';
import type { NewEvent, LiveState } from './read-model.js';
import type { LogRecord } from './records.js';

export type AppendThen = {
  /** Run after the record is applied to the read model, before it is published (e.g. a document copy). */
  afterApply?: () => Promise<void>;
  /** The domain event to publish once applied (none for an officer's custody claim, carried by its issue). */
  event?: () => NewEvent;
  /** The officer custody claim number the event's change took, told to the other instances with it. */
  officerClaim?: { officer: string; seq: number };
};

/**
 * The live write path, the one way a change enters the live log: append `record` (version n+1 of its key)
 * and wait for the store's acknowledgement; then apply it to the read model; then publish the event (other
 * instances first, then the local bus and the board).
 *
 * - false: that version was already taken (memory was stale or another writer was faster); nothing applied,
 *   nothing published. The caller reloads the key (`state.refresh*`) and decides again.
 * - throws `StoreUnavailableError` (503 `store_unavailable`, retryable) through the store-health gate when
 *   the store is down or did not acknowledge the record (whatever the error's shape); nothing is applied or
 *   published, and a record whose fate is unknown is undone at recovery before the read model is reloaded.
 */
export async function appendVersion(state: LiveState, record: LogRecord, then: AppendThen = {}): Promise<boolean> {
  if (!(await liveLogRepository.append(record))) return false;
  state.applyRecord(record);
  await then.afterApply?.();
  if (then.event) await state.publish(then.event(), then.officerClaim);
  return true;
}
