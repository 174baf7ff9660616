import type { Timer } from '../../../server/live/shift-clock.js';

/**
 * A clock a test moves by hand, with the timer the server's shift clock waits on: `set` moves the time and
 * fires, in order, every wait that has come due (as a real timer would when the time arrives).
 */
export class TestClock {
  private t: number;
  private waits: { when: number; fn: () => void }[] = [];

  constructor(iso: string) {
    this.t = Date.parse(iso);
  }

  readonly now = (): Date => new Date(this.t);

  readonly timer: Timer = {
    at: (when, fn) => {
      const w = { when, fn };
      if (when <= this.t) queueMicrotask(fn);
      else this.waits.push(w);
      return () => {
        this.waits = this.waits.filter((x) => x !== w);
      };
    },
  };

  /** Moves the clock to `iso` and fires the waits due by then. */
  set(iso: string): void {
    this.t = Date.parse(iso);
    const due = this.waits.filter((w) => w.when <= this.t).sort((a, b) => a.when - b.when);
    this.waits = this.waits.filter((w) => w.when > this.t);
    for (const w of due) w.fn();
  }

  /** Pending waits (the instants the server waits for), for assertions. */
  pending(): number[] {
    return this.waits.map((w) => w.when).sort((a, b) => a - b);
  }
}
