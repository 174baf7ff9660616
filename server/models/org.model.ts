import { Schema, model } from 'mongoose';
import { schemaOptions } from './placement.js';

export const ForceModel = model(
  'Force',
  new Schema(
    { id: { type: String, required: true, unique: true }, name: { type: String, required: true } },
    schemaOptions,
  ),
);

export const BcuModel = model(
  'Bcu',
  new Schema(
    {
      id: { type: String, required: true, unique: true },
      name: { type: String, required: true },
      force: { type: String, required: true, index: true },
    },
    schemaOptions,
  ),
);

export const BoroughModel = model(
  'Borough',
  new Schema(
    {
      id: { type: String, required: true, unique: true },
      name: { type: String, required: true },
      force: { type: String, required: true, index: true },
      bcu: { type: String, required: true, index: true },
    },
    schemaOptions,
  ),
);

export const StationModel = model(
  'Station',
  new Schema(
    {
      id: { type: String, required: true, unique: true },
      name: { type: String, required: true },
      force: { type: String, required: true, index: true },
      bcu: { type: String, required: true, index: true },
      borough: { type: String, required: true, index: true },
    },
    schemaOptions,
  ),
);
