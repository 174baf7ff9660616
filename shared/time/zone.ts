/** Every local time in the product is read in this zone. */
export const LONDON = 'Europe/London';
