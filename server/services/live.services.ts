import { createEventBus, type EventBus } from '../events/domain-events.js';
import { localChannel, type LiveChannel } from '../events/live-channel.js';
import { memorySequencer, type Sequencer } from '../realtime/sequencer.js';
import type { Repositories } from '../repositories/index.js';
import { createBoardService } from './board.service.js';
import { createCoverAlertService } from './cover-alert.service.js';
import { createCustodyService } from './custody.service.js';
import type { ForceSettingsReader } from './force-settings.service.js';
import { createLiveState } from './live-state.js';
import type { ReferenceCache } from './reference-cache.js';
import { createUnitStatusService } from './unit-status.service.js';

export type LiveDeps = { clock: () => Date; events: EventBus; sequencer: Sequencer; channel?: LiveChannel };

export const defaultLiveDeps = (): LiveDeps => ({
  clock: () => new Date(),
  events: createEventBus(),
  sequencer: memorySequencer(),
});

/**
 * The live side (issue 4): custody, unit status, cover alerts and the board, sharing one read model, event
 * bus and clock. Call `state.load()` before serving.
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
  return {
    events: deps.events,
    clock: deps.clock,
    sequencer: deps.sequencer,
    channel,
    state,
    custody: createCustodyService(repos, shared),
    units: createUnitStatusService(shared),
    board: createBoardService(repos, shared),
    cover: createCoverAlertService({ ...shared, settleMs: 100 }),
  };
}
