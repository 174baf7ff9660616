import { Schema, model } from 'mongoose';
import { placementFields, schemaOptions } from './placement.js';

export const DeviceModel = model(
  'Device',
  new Schema(
    {
      serial: { type: String, required: true, unique: true },
      model: { type: String, required: true },
      ...placementFields,
      // Serviceability only (in_armoury, faulty, in_repair, retired). Whether a device is issued, and to
      // whom, is the custody log's (live_log): the live read model overlays it.
      state: { type: String, required: true },
    },
    schemaOptions,
  ),
);
