import { parseScenario, type Scenario } from '../../shared/schemas/scenario.schema.js';
import type { Env } from '../config/env.js';
import { ValidationError } from '../errors.js';
import { startRefresherPlan, startSolve } from '../solver/solve-runner.js';
import type { Repositories } from '../repositories/index.js';
import { populationRepository, taserUseRepository } from '../repositories/taser-use.repository.js';
import { coverLogRepository } from '../repositories/cover-log.repository.js';
import { coverRepository } from '../repositories/cover.repository.js';
import { createCoverWindow } from '../live/cover-window.js';
import { createAbstractionService } from './abstraction.service.js';
import { createAuthService } from './auth.service.js';
import { createAuthorisationReportService } from './authorisation-report.service.js';
import { createCoverService } from './cover.service.js';
import { createCrewPlanService, type SolveRunner } from './crew-plan.service.js';
import { createDeviceService } from './device.service.js';
import { createDutyService } from './duty.service.js';
import { createArmouryService } from './armoury.service.js';
import { createForceSettingsService } from './force-settings.service.js';
import { createLiveServices, defaultLiveDeps, type LiveDeps } from './live.services.js';
import { createOfficerService } from './officer.service.js';
import { createPlanEditService } from './plan-edit.service.js';
import { createRosterService } from './roster.service.js';
import { createReferenceCache } from './reference-cache.js';
import { createRefresherService } from './refresher.service.js';
import { createShiftDefinitionService } from './shift-definition.service.js';
import { createStationService } from './station.service.js';
import { createTaserUseReportService } from './taser-use-report.service.js';
import { createTaserUseService } from './taser-use.service.js';
import { createTeamService } from './team.service.js';
import { createUserService } from './user.service.js';
import { createWhatIfService } from './what-if.service.js';

/** Validates a scenario as the solver will; a failure names every bad field. */
function validateScenarioInput(input: unknown): Scenario {
  const r = parseScenario(input);
  if (r.ok) return r.scenario;
  throw new ValidationError(`Invalid scenario: ${r.issues.join('; ')}`, { issues: r.issues }, 'invalid_scenario');
}

const runSolve: SolveRunner = (scenario, opts) => startSolve(scenario, opts);

/** Every use case, wired to its repositories once per process. */
export function createServices(
  repos: Repositories,
  env: Pick<Env, 'JWT_SECRET' | 'TOKEN_TTL_HOURS'> & { MIN_TASER_UNITS?: number; COVER_WINDOW_DAYS?: number },
  live: LiveDeps = defaultLiveDeps(),
) {
  const ref = createReferenceCache(repos, live.clock);
  // MIN_TASER_UNITS seeds the cover minimum of a force that has not saved its own settings.
  const forceSettings = createForceSettingsService(repos, ref, {
    clock: live.clock,
    seed: { minTaserUnits: env.MIN_TASER_UNITS },
  });
  const liveServices = createLiveServices(repos, ref, forceSettings, live);
  // Cover by hour's last days in memory, kept current from the live read model (loaded by the server at start).
  const coverWindow = env.COVER_WINDOW_DAYS
    ? createCoverWindow({
        clock: live.clock,
        days: env.COVER_WINDOW_DAYS,
        loadLog: (since) => coverLogRepository.since(since),
        loadCrews: (since) => coverRepository.crewsEndingAfter(since),
        onRecordSeen: (l) => liveServices.state.onRecordSeen(l),
      })
    : undefined;
  // Another instance's publish: the window reads the published crews again (this one's comes by the bus).
  liveServices.state.onRemote((e) => {
    if (e.type === 'plan.published') coverWindow?.published();
  });
  return {
    auth: createAuthService(repos, { secret: env.JWT_SECRET, ttlHours: env.TOKEN_TTL_HOURS, clock: live.clock }, ref),
    stations: createStationService(repos),
    teams: createTeamService(repos),
    officers: createOfficerService(repos),
    devices: createDeviceService(repos, liveServices),
    abstractions: createAbstractionService(repos),
    shiftDefinitions: createShiftDefinitionService(repos),
    users: createUserService(repos),
    duty: createDutyService(repos),
    // A published plan's delta carries its units now on the board (issue 9: boards need no resync).
    plans: createCrewPlanService(
      repos,
      runSolve,
      validateScenarioInput,
      forceSettings,
      async (e) =>
        liveServices.state.publish(
          e.type === 'plan.published'
            ? { ...e, units: await liveServices.board.publishedUnits(e.shifts, live.clock()) }
            : e,
        ),
      ref.planSummaries,
    ),
    whatIf: createWhatIfService(repos, runSolve, validateScenarioInput, live.clock, forceSettings),
    reports: createAuthorisationReportService(repos, live.clock, forceSettings),
    cover: createCoverService(
      repos,
      live.clock,
      forceSettings,
      { cover: coverRepository, log: coverLogRepository, ...(coverWindow ? { window: coverWindow } : {}) },
      live.events,
    ),
    refreshers: createRefresherService(repos, live.clock, forceSettings, (p, o) => startRefresherPlan(p, o).promise),
    planEdits: createPlanEditService(repos, live.clock),
    roster: createRosterService(repos, ref),
    uses: createTaserUseService(repos, taserUseRepository, {
      clock: live.clock,
      onDischarge: async (actor, use) => {
        await liveServices.custody.dischargeRecorded(actor, use);
      },
      lastCheck: (serial) => liveServices.state.lastCheck(serial),
    }),
    useReports: createTaserUseReportService(repos, taserUseRepository, populationRepository, {
      clock: live.clock,
      settings: forceSettings,
    }),
    forceSettings,
    armoury: createArmouryService({ ...liveServices, ref, settings: forceSettings }),
    reference: ref,
    live: liveServices,
  };
}
export type Services = ReturnType<typeof createServices>;
