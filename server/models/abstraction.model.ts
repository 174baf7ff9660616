import { Schema, model } from 'mongoose';
import { placementFields, schemaOptions } from './placement.js';

export const AbstractionModel = model(
  'Abstraction',
  new Schema(
    {
      id: { type: String, required: true, unique: true },
      officer: { type: String, required: true, index: true },
      kind: { type: String, required: true },
      from: { type: String, required: true },
      to: { type: String, required: true },
      note: { type: String },
      site: { type: String },
      ...placementFields,
    },
    schemaOptions,
  ),
);
