import { Schema, model } from 'mongoose';
import { placementFields, schemaOptions } from './placement.js';

const shiftDefinitionSchema = new Schema(
  {
    code: { type: String, required: true },
    name: { type: String, required: true },
    force: { type: String, required: true },
    start: { type: String, required: true },
    end: { type: String, required: true },
  },
  schemaOptions,
);
shiftDefinitionSchema.index({ force: 1, code: 1 }, { unique: true });
export const ShiftDefinitionModel = model('ShiftDefinition', shiftDefinitionSchema);

export const TeamModel = model(
  'Team',
  new Schema(
    {
      id: { type: String, required: true, unique: true },
      name: { type: String, required: true },
      ...placementFields,
      rota: {
        type: new Schema(
          { pattern: { type: [String], required: true }, anchorDate: { type: String, required: true } },
          { _id: false },
        ),
        required: true,
      },
    },
    schemaOptions,
  ),
);
