import { Schema, model } from 'mongoose';
import { placementFields, schemaOptions } from './placement.js';

/**
 * The live state of one published crew on its shift: who of it is booked on and its status. Created on
 * the first booking from the published crew; every change is one conditional update that bumps `version`.
 */
const unitStatusSchema = new Schema(
  {
    key: { type: String, required: true, unique: true },
    shift: { type: String, required: true, index: true },
    callSign: { type: String, required: true },
    shiftDate: { type: String, required: true },
    shiftCode: { type: String, required: true },
    ...placementFields,
    start: { type: String, required: true },
    end: { type: String, required: true, index: true },
    members: { type: [String], default: [] },
    plannedCarriers: { type: [new Schema({ officer: String, device: String }, { _id: false })], default: [] },
    status: { type: String, required: true },
    bookedOn: { type: [String], default: [], index: true },
    onCount: { type: Number, required: true, default: 0 },
    version: { type: Number, required: true, default: 0 },
  },
  schemaOptions,
);
export const UnitStatusModel = model('UnitStatus', unitStatusSchema);
