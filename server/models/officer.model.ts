import { Schema, model } from 'mongoose';
import { placementFields, schemaOptions } from './placement.js';

const taserSchema = new Schema(
  {
    lastTrained: { type: String, required: true },
    models: { type: [String], required: true },
    endorsed: { type: Boolean, default: false },
    suspended: { type: Boolean, default: false },
    volunteer: { type: Boolean, default: true },
  },
  { _id: false },
);

const officerSchema = new Schema(
  {
    collar: { type: String, required: true, unique: true },
    name: { type: String, required: true },
    rank: { type: String, required: true },
    kind: { type: String, required: true },
    ...placementFields,
    team: { type: String, required: true, index: true },
    taser: { type: taserSchema, default: null },
  },
  schemaOptions,
);
export const OfficerModel = model('Officer', officerSchema);
