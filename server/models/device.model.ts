import { Schema, model } from 'mongoose';
import { placementFields, schemaOptions } from './placement.js';

export const DeviceModel = model(
  'Device',
  new Schema(
    {
      serial: { type: String, required: true, unique: true },
      model: { type: String, required: true },
      ...placementFields,
      state: { type: String, required: true },
    },
    schemaOptions,
  ),
);
