import { Schema, model } from 'mongoose';
import { schemaOptions } from './placement.js';

/** The audit record of a booked refresher plan: who booked which proposal, when, and what it created. */
export const RefresherBookingModel = model(
  'RefresherBooking',
  new Schema(
    {
      id: { type: String, required: true, unique: true },
      force: { type: String, required: true, index: true },
      unit: { type: String, required: true },
      by: { type: String, required: true },
      at: { type: String, required: true },
      abstractions: { type: [String], default: [] },
      assignments: { type: [{ _id: false, officer: String, date: String, site: String }], default: [] },
    },
    schemaOptions,
  ),
);
