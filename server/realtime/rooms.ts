import type { Placement } from '../../shared/schemas/common.schema.js';

/** The rooms an event placed at `where` is heard in: its force, BCU, borough and (if any) station. */
export function roomsFor(where: Partial<Placement>): string[] {
  const rooms: string[] = [];
  if (where.force) rooms.push(`force:${where.force}`);
  if (where.bcu) rooms.push(`bcu:${where.bcu}`);
  if (where.borough) rooms.push(`borough:${where.borough}`);
  if (where.station) rooms.push(`station:${where.station}`);
  return rooms;
}
