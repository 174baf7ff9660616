import { createEventBus, type EventBus } from '../events/domain-events.js';
import { localChannel, type LiveChannel } from '../live/channel.js';
import { memorySequencer, type Sequencer } from '../live/sequencer.js';
import type { Repositories } from '../repositories/index.js';
import { createBoardService } from './board.service.js';
import { createCoverAlertService } from './cover-alert.service.js';
import { createCustodyService } from './custody.service.js';
import type { ForceSettingsReader } from './force-settings.service.js';
import { createLiveState } from '../live/read-model.js';
import { createSnapshots, type SnapshotOptions } from '../live/snapshots.js';
import { clockTimer, createShiftClock, type Timer } from '../live/shift-clock.js';
import type { ReferenceCache } from './reference-cache.js';
import { createUnitStatusService } from './unit-status.service.js';

export type LiveDeps = {
  clock: () => Date;
  events: EventBus;
  sequencer: Sequencer;
  channel?: LiveChannel;
  /** Waits for shift boundaries on `clock` (tests move a test clock); a timer on `clock` unless given. */
  timer?: Timer;
  /** Read-model snapshots (server/live/snapshots.ts); every 5 minutes or 5,000 changes unless given. */
  snapshots?: Omit<SnapshotOptions, 'origin'>;
};

export const defaultLiveDeps = (): LiveDeps => ({
  clock: () => new Date(),
  events: createEventBus(),
  sequencer: memorySequencer(),
});

/**
 * The live side (issue 4): custody, unit status, cover alerts and the board, sharing one read model, event
 * bus and clock. Call `snapshots.load()` before serving.
 */
export function createLiveServices(
  repos: Repositories,
  ref: ReferenceCache,
  settings: ForceSettingsReader,
  deps: LiveDeps,
) {
  const channel = deps.channel ?? localChannel();
  const state = createLiveState({ ref, bus: deps.events, channel });
  const shared = { ...deps, state, ref, settings };
  const board = createBoardService(repos, shared);
  return {
    events: deps.events,
    clock: deps.clock,
    sequencer: deps.sequencer,
    channel,
    state,
    snapshots: createSnapshots({
      state,
      ref,
      clock: deps.clock,
      opts: { everyMs: 300_000, everyChanges: 5000, ...deps.snapshots, origin: channel.origin },
    }),
    custody: createCustodyService(repos, shared),
    units: createUnitStatusService(shared),
    board,
    shiftClock: createShiftClock({ ...shared, board, timer: deps.timer ?? clockTimer(deps.clock) }),
    cover: createCoverAlertService({ ...shared, settleMs: 100 }),
  };
}
