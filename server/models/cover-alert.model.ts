import { Schema, model } from 'mongoose';
import { schemaOptions } from './placement.js';

/** Whether a borough's Taser cover for one shift is below the minimum; flipped by conditional update only. */
const coverAlertSchema = new Schema(
  {
    key: { type: String, required: true, unique: true },
    force: { type: String, required: true },
    bcu: { type: String, required: true, index: true },
    borough: { type: String, required: true, index: true },
    date: { type: String, required: true },
    code: { type: String, required: true },
    start: { type: String, required: true },
    end: { type: String, required: true, index: true },
    below: { type: Boolean, required: true },
    count: { type: Number, required: true },
    min: { type: Number, required: true },
    since: { type: String, required: true },
    version: { type: Number, required: true, default: 0 },
  },
  schemaOptions,
);
export const CoverAlertModel = model('CoverAlert', coverAlertSchema);
