import { Schema, model } from 'mongoose';

/**
 * The cover-by-hour aggregate (issue 10): one document per station and closed local day, `_id` =
 * `<station>|<yyyy-mm-dd>`, with the day's time-weighted Taser-equipped units per clock hour, planned and
 * actual, and per shift starting that day. Written the first time a report reads a closed day, deleted when a
 * plan is published over it; reports over long periods read these instead of crews and the live log.
 */
export const CoverDayModel = model(
  'CoverDay',
  new Schema(
    {
      _id: { type: String, required: true },
      force: { type: String, required: true },
      bcu: { type: String, required: true },
      borough: { type: String, required: true },
      station: { type: String, required: true, index: true },
      date: { type: String, required: true, index: true },
      planned: { type: [Number], required: true },
      actual: { type: [Number], required: true },
      shifts: { type: [Schema.Types.Mixed], default: [] },
    },
    { versionKey: false, collection: 'cover_days' },
  ),
);
