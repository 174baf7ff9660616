import { Schema, model } from 'mongoose';

/**
 * The cover-by-hour aggregate (issue 10): one document per force and closed local day, `_id` =
 * `<force>|<yyyy-mm-dd>`, holding every station's time-weighted Taser-equipped units per clock hour, planned
 * and actual, and per shift starting that day, as one JSON text (`stations`). One document a day rather than
 * one per station and day, and a text rather than nested arrays: the embedded store's cost is per document
 * and per value, so a force-wide quarter is 92 small reads. Written the first time a report reads a closed
 * day, deleted when a plan is published over it.
 */
export const CoverDayModel = model(
  'CoverDay',
  new Schema(
    {
      _id: { type: String, required: true },
      force: { type: String, required: true },
      date: { type: String, required: true, index: true },
      stations: { type: String, required: true },
    },
    { versionKey: false, collection: 'cover_days' },
  ),
);
