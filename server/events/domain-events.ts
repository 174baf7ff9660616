import { randomUUID } from 'node:crypto';
import type { Placement } from '../../shared/schemas/common.schema.js';
import type { LiveEvent } from '../../shared/schemas/live-event.schema.js';
import { log } from '../logger.js';

/** The typed domain events services publish after a write commits, by type. */
export type DomainEventMap = { [K in LiveEvent['type']]: Extract<LiveEvent, { type: K }> };
export type DomainEvent = LiveEvent;

/** Where an event happened: the broadcaster routes it to the rooms of this place. */
export const placeOf = (e: DomainEvent): Placement => {
  switch (e.type) {
    case 'custody.changed':
      return e.device;
    case 'unit.changed':
      return e.unit;
    case 'cover.changed':
      return { force: e.alert.force, bcu: e.alert.bcu, borough: e.alert.borough, station: '' };
    case 'plan.published':
    case 'shift.boundary':
      return e.placement;
  }
};

export type Listener = (e: DomainEvent) => void;

/**
 * The in-process publisher. Services call `publish` only after their write has committed; listeners run
 * synchronously in publish order and must not throw (a throwing listener is logged and skipped).
 */
export function createEventBus() {
  const listeners = new Set<Listener>();
  return {
    /** Stamps an id on the event and hands it to every listener. */
    publish<K extends keyof DomainEventMap>(event: Omit<DomainEventMap[K], 'id'> & { type: K }): DomainEventMap[K] {
      const e = { ...event, id: randomUUID() } as unknown as DomainEventMap[K];
      for (const l of listeners) {
        try {
          l(e);
        } catch (err) {
          log.error('event listener failed', { type: e.type, message: String(err) });
        }
      }
      return e;
    },
    subscribe(l: Listener): () => void {
      listeners.add(l);
      return () => listeners.delete(l);
    },
  };
}
export type EventBus = ReturnType<typeof createEventBus>;
