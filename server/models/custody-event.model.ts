import { Schema, model } from 'mongoose';
import { placementFields, schemaOptions } from './placement.js';

/**
 * The append-only custody audit trail. `id` is `<serial>#<device version>`, so the record of one device
 * change can be written at most once, whoever retries it.
 */
const custodyEventSchema = new Schema(
  {
    id: { type: String, required: true, unique: true },
    kind: { type: String, required: true },
    at: { type: String, required: true, index: true },
    by: { type: String, required: true },
    device: { type: String, required: true, index: true },
    model: { type: String, required: true },
    fromState: { type: String, required: true },
    toState: { type: String, required: true },
    officer: { type: String, default: null, index: true },
    shift: { type: String, default: null, index: true },
    callSign: { type: String, default: null },
    note: { type: String, default: null },
    ...placementFields,
  },
  schemaOptions,
);
export const CustodyEventModel = model('CustodyEvent', custodyEventSchema);
