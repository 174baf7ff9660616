import type { Env } from '../config/env.js';
import { createEventBus, type EventBus } from '../events/domain-events.js';
import { memorySequencer, type Sequencer } from '../realtime/sequencer.js';
import type { Repositories } from '../repositories/index.js';
import { createBoardService } from './board.service.js';
import { createCoverAlertService } from './cover-alert.service.js';
import { createCustodyService } from './custody.service.js';
import { createUnitStatusService } from './unit-status.service.js';

export type LiveDeps = { clock: () => Date; events: EventBus; sequencer: Sequencer };

export const defaultLiveDeps = (): LiveDeps => ({
  clock: () => new Date(),
  events: createEventBus(),
  sequencer: memorySequencer(),
});

/** The live side (issue 4): custody, unit status, cover alerts and the board, sharing one event bus and clock. */
export function createLiveServices(repos: Repositories, env: Pick<Env, 'MIN_TASER_UNITS'>, deps: LiveDeps) {
  return {
    events: deps.events,
    clock: deps.clock,
    sequencer: deps.sequencer,
    custody: createCustodyService(repos, deps),
    units: createUnitStatusService(deps),
    board: createBoardService(repos, deps),
    cover: createCoverAlertService(repos, { ...deps, minTaserUnits: env.MIN_TASER_UNITS, settleMs: 100 }),
  };
}
