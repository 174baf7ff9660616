import type { Model } from 'mongoose';
import { AbstractionModel } from './abstraction.model.js';
import { CoverDayModel } from './cover-day.model.js';
import { CrewPlanBodyModel, CrewPlanModel, PlanTransitionModel, PublishedCrewModel } from './crew-plan.model.js';
import { LiveLogModel } from './live-log.model.js';
import { LiveSnapshotChunkModel, LiveSnapshotModel } from './live-snapshot.model.js';
import { ForceSettingsModel } from './force-settings.model.js';
import { DeviceModel } from './device.model.js';
import { OfficerModel } from './officer.model.js';
import { BcuModel, BoroughModel, ForceModel, StationModel } from './org.model.js';
import { ShiftDefinitionModel, TeamModel } from './shift.model.js';
import { PopulationModel, TaserUseModel, TaserUseVersionModel } from './taser-use.model.js';
import { RefresherBookingModel } from './refresher-booking.model.js';
import { UserModel } from './user.model.js';

/** Every model whose indexes must exist before the app serves; later features register theirs here. */
// eslint-disable-next-line @typescript-eslint/no-explicit-any -- a list of models of different document types
export const allModels: Model<any>[] = [
  ForceModel,
  BcuModel,
  BoroughModel,
  StationModel,
  ShiftDefinitionModel,
  TeamModel,
  OfficerModel,
  DeviceModel,
  AbstractionModel,
  UserModel,
  CrewPlanModel,
  CrewPlanBodyModel,
  PublishedCrewModel,
  PlanTransitionModel,
  LiveLogModel,
  LiveSnapshotModel,
  LiveSnapshotChunkModel,
  ForceSettingsModel,
  TaserUseModel,
  TaserUseVersionModel,
  PopulationModel,
  CoverDayModel,
  RefresherBookingModel,
];
