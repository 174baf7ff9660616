/**
 * The built-in force settings (DESIGN.md section 8): what a force works to until an admin changes it, and the
 * one home of every policy default. The solver's scenario defaults, the scenario builder, the armoury, the
 * reports and the cover alerts all read these (through the stored settings where a force has saved some).
 */
export const DEFAULT_FORCE_SETTINGS = {
  /** The revised (2017) national guidance. */
  policy: {
    name: 'revised',
    singleCrewRanks: ['SGT', 'INSP'],
    authorisationMonths: 12,
    studentOfficersMayCarry: false,
    specialsMayCarry: false,
  },
  /** Taser-equipped units per borough and shift below which the control room is alerted. */
  minTaserUnits: 3,
  /** Minutes before a shift starts that officers may book on and draw a device. */
  issueLeadMinutes: 60,
  /** Refresher course capacity: places per course day, on ISO weekdays (1 = Monday). */
  course: { placesPerDay: 12, days: [1, 2, 3, 4, 5] },
  /** Published Taser-use counts from 1 to 4 are shown as `<5`, as statistical releases do. */
  smallNumberThreshold: 5,
} as const satisfies {
  policy: {
    name: 'revised' | 'legacy';
    singleCrewRanks: readonly ('PC' | 'SGT' | 'INSP')[];
    authorisationMonths: number;
    studentOfficersMayCarry: boolean;
    specialsMayCarry: boolean;
  };
  minTaserUnits: number;
  issueLeadMinutes: number;
  course: { placesPerDay: number; days: readonly number[] };
  smallNumberThreshold: number;
};

/** The force's default crewing policy (a copy, safe to change). */
export const defaultPolicy = () => ({
  ...DEFAULT_FORCE_SETTINGS.policy,
  singleCrewRanks: [...DEFAULT_FORCE_SETTINGS.policy.singleCrewRanks],
});
