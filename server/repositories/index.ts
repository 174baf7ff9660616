import type { Abstraction } from '../../shared/schemas/abstraction.schema.js';
import type { Device } from '../../shared/schemas/device.schema.js';
import type { Officer } from '../../shared/schemas/officer.schema.js';
import type { Bcu, Borough, Force, Station } from '../../shared/schemas/org.schema.js';
import type { ShiftDefinition, Team } from '../../shared/schemas/shift.schema.js';
import type { RefresherBooking } from '../../shared/schemas/refresher.schema.js';
import type { User } from '../../shared/schemas/user.schema.js';
import { AbstractionModel } from '../models/abstraction.model.js';
import { DeviceModel } from '../models/device.model.js';
import { OfficerModel } from '../models/officer.model.js';
import { BcuModel, BoroughModel, ForceModel, StationModel } from '../models/org.model.js';
import { ShiftDefinitionModel, TeamModel } from '../models/shift.model.js';
import { RefresherBookingModel } from '../models/refresher-booking.model.js';
import { UserModel } from '../models/user.model.js';
import { createRepository } from './base.repository.js';
import { forceSettingsRepository } from './force-settings.repository.js';

/** `sessionVersion`: moved on by a password, role or scope change; tokens of another version are refused. */
export type StoredUser = User & { passwordHash: string; demo?: boolean; sessionVersion?: number };

/** One repository per stored resource. */
export const repositories = {
  forces: createRepository<Force>(ForceModel, 'id', 'force'),
  bcus: createRepository<Bcu>(BcuModel, 'id', 'bcu'),
  boroughs: createRepository<Borough>(BoroughModel, 'id', 'borough'),
  stations: createRepository<Station>(StationModel, 'id', 'station'),
  shiftDefinitions: createRepository<ShiftDefinition>(ShiftDefinitionModel, 'code', 'shift_definition'),
  teams: createRepository<Team>(TeamModel, 'id', 'team'),
  officers: createRepository<Officer>(OfficerModel, 'collar', 'officer'),
  devices: createRepository<Device>(DeviceModel, 'serial', 'device'),
  abstractions: createRepository<Abstraction>(AbstractionModel, 'id', 'abstraction'),
  users: createRepository<StoredUser>(UserModel, 'username', 'user'),
  forceSettings: forceSettingsRepository,
  refresherBookings: createRepository<RefresherBooking>(RefresherBookingModel, 'id', 'refresher_booking'),
};
export type Repositories = typeof repositories;
