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
      // Custody (issue 4). `holderKey` is the holder's collar while issued and `free:<serial>` otherwise; a
      // unique index on it means one officer can never hold two devices, checked inside the issuing write.
      holderKey: {
        type: String,
        default(this: { serial?: string }) {
          return `free:${this.serial ?? ''}`;
        },
      },
      holder: { type: String, default: null },
      issuedShift: { type: String, default: null },
      version: { type: Number, default: 0 },
    },
    schemaOptions,
  ),
);
