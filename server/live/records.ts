import type { CoverAlert, UnitLive } from '../../shared/schemas/board.schema.js';
import type { CustodyEvent } from '../../shared/schemas/custody.schema.js';

/**
 * The live log's records (see server/models/live-log.model.ts): one per change of a key, `_id` =
 * `<kind>:<key>#<version>`, each carrying the key's full new state. Pure types: no store access here.
 */

/** The `_id` of version `version` of a key: `device:X2-004417#12`, `officer:PC1234#3`, `unit:<shift>|<call sign>#4`. */
export const logId = (kind: LogKind, key: string, version: number): string => `${kind}:${key}#${version}`;

export type LogKind = 'device' | 'officer' | 'unit' | 'cover';
export const TYPE: Record<LogKind, LogRecord['type']> = {
  device: 'custody',
  officer: 'officer',
  unit: 'unit',
  cover: 'cover',
};

type Head = {
  _id: string;
  key: string;
  version: number;
  at: string;
  /** This write's token, set when it is appended: what `retract` (and recovery's undo) delete by. */
  w?: string;
};

/** A custody change of a device: the audit record (who, what, when, officer, crew, shift) with the new state. */
export type CustodyRecord = Head &
  CustodyEvent & { type: 'custody'; holder: string | null; issuedShift: string | null; state: CustodyEvent['toState'] };

/**
 * An officer's custody claim number `version`: taken before the device record of an issue, so two issues to
 * one officer cannot both succeed. It names the device version it is for; it holds only once that device
 * record exists (see README, "one officer, one device").
 */
export type OfficerRecord = Head & {
  type: 'officer';
  device: string;
  deviceVersion: number;
  by: string;
  /** Wall-clock time of the claim (not the domain clock): how old an unfinished claim is. */
  claimedAt: string;
};

/** A unit's booking or status change, with the unit's full new state. */
export type UnitRecord = Head & {
  type: 'unit';
  kind: 'booked_on' | 'booked_off' | 'status';
  by: string;
  officer: string | null;
  unit: UnitLive;
  /** The settable status, kept while nobody is booked on (then `unit.status` reads `off_duty`). */
  status: 'available' | 'committed' | 'at_station';
};

export type CoverRecord = Head & { type: 'cover'; by: string; alert: CoverAlert };

export type LogRecord = CustodyRecord | OfficerRecord | UnitRecord | CoverRecord;
