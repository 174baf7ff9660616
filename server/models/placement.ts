/** The force structure fields every scoped document carries, indexed for scope filters. */
export const placementFields = {
  force: { type: String, required: true, index: true },
  bcu: { type: String, required: true, index: true },
  borough: { type: String, required: true, index: true },
  station: { type: String, required: true, index: true },
} as const;

export const schemaOptions = { versionKey: false, timestamps: true, strict: 'throw' } as const;
