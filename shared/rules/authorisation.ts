import { DateTime } from 'luxon';

/** The zone every local date and time of the product is read in. */
export const DEFAULT_ZONE = 'Europe/London';

/**
 * The instant an authorisation expires: 00:00 local time on the date `months` calendar months
 * after `lastTrained` (luxon clamps a missing day, so 31 Jan + 1 month is 28/29 Feb).
 */
export function authorisationExpiry(lastTrained: string, months: number, zone: string = DEFAULT_ZONE): DateTime {
  const trained = DateTime.fromISO(lastTrained, { zone });
  if (!trained.isValid) throw new RangeError(`not a calendar date: ${lastTrained}`);
  return trained.startOf('day').plus({ months }).startOf('day');
}

/** Epoch milliseconds of {@link authorisationExpiry}. */
export function authorisationExpiryMs(lastTrained: string, months: number, zone: string = DEFAULT_ZONE): number {
  return authorisationExpiry(lastTrained, months, zone).toMillis();
}

/** True when an authorisation is in date for a whole shift: the shift ends at or before expiry. */
export function isAuthorisedUntil(
  lastTrained: string,
  months: number,
  shiftEndMs: number,
  zone: string = DEFAULT_ZONE,
): boolean {
  return shiftEndMs <= authorisationExpiryMs(lastTrained, months, zone);
}

/** Local calendar date (YYYY-MM-DD) of the first day the officer may no longer carry. */
export function authorisationLapseDate(lastTrained: string, months: number, zone: string = DEFAULT_ZONE): string {
  return authorisationExpiry(lastTrained, months, zone).toISODate() ?? '';
}
