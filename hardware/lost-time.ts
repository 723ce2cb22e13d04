/**
 * Time the process itself lost: event-loop lag, a GC pause, a suspended VM, a
 * busy CPU (and, at 60× time-lapse, a few real milliseconds of any of these).
 * While someone needs it, a heartbeat timer runs on the clock; how late each beat
 * fires is time in which nothing of ours ran — no timer, no serial byte, no
 * sample. A timeout or a staleness verdict subtracts it, so a late process is
 * never blamed on a sensor. One meter per clock, shared by everyone on it.
 */
import type { Clock, TimerHandle } from './clock.js';

const BEAT_MS = 250;
/** Lost time older than this is forgotten (a verdict over a longer span just counts less of it). */
const HORIZON_MS = 3_600_000;

const meters = new WeakMap<Clock, LostTime>();

/** The one meter of this clock. */
export function lostTimeOf(clock: Clock): LostTime {
  let meter = meters.get(clock);
  if (meter === undefined) meters.set(clock, (meter = new LostTime(clock)));
  return meter;
}

/**
 * A timeout of `ms` that the process really waited: when it fires, the time the
 * process lost meanwhile is added and it waits on for that much.
 */
export function patientTimeout(clock: Clock, fn: () => void, ms: number): { cancel(): void } {
  const meter = lostTimeOf(clock);
  const release = meter.acquire();
  const armedAt = clock.monotonic();
  let granted = 0;
  let handle: TimerHandle | undefined;
  const fire = (): void => {
    const owed = meter.lostSince(armedAt) - granted;
    if (owed > 0) {
      granted += owed;
      handle = clock.setTimeout(fire, armedAt + ms + granted - clock.monotonic());
      return;
    }
    handle = undefined;
    release();
    fn();
  };
  handle = clock.setTimeout(fire, ms);
  return {
    cancel: () => {
      if (handle !== undefined) clock.clearTimeout(handle);
      handle = undefined;
      release();
    },
  };
}

export class LostTime {
  readonly #clock: Clock;
  #users = 0;
  #timer: TimerHandle | undefined;
  /** When the running beat is due (monotonic). */
  #due = 0;
  #total = 0;
  /** (monotonic, total lost up to then), appended when a beat came late. */
  #marks: { at: number; total: number }[] = [];
  /** The total at the newest mark dropped past the horizon. */
  #forgotten = 0;

  constructor(clock: Clock) {
    this.#clock = clock;
  }

  /** Runs the heartbeat until the returned release is called (reference-counted). */
  acquire(): () => void {
    // On an exact clock a beat is never late: no heartbeat (a month of the demo's past would pay 10 million of them).
    if (this.#users++ === 0 && this.#clock.exact !== true) this.#arm(this.#clock.monotonic());
    let released = false;
    return () => {
      if (released) return;
      released = true;
      if (--this.#users === 0 && this.#timer !== undefined) {
        this.#clock.clearTimeout(this.#timer);
        this.#timer = undefined;
      }
    };
  }

  /**
   * Milliseconds lost since `mono`, including a beat overdue right now (a late
   * timer may run before the late heartbeat does). 0 while nobody holds the meter.
   */
  lostSince(mono: number): number {
    if (this.#timer === undefined) return 0;
    const now = this.#clock.monotonic();
    let before = this.#forgotten;
    for (let i = this.#marks.length - 1; i >= 0; i--) {
      if (this.#marks[i]!.at <= mono) {
        before = this.#marks[i]!.total;
        break;
      }
    }
    const overdue = Math.max(0, now - this.#due);
    return Math.min(Math.max(0, now - mono), this.#total - before + overdue);
  }

  #arm(from: number): void {
    this.#due = from + BEAT_MS;
    this.#timer = this.#clock.setTimeout(() => this.#beat(), BEAT_MS);
  }

  #beat(): void {
    const now = this.#clock.monotonic();
    const late = now - this.#due;
    if (late > 0) {
      this.#total += late;
      this.#marks.push({ at: now, total: this.#total });
      while (this.#marks[0]!.at < now - HORIZON_MS) this.#forgotten = this.#marks.shift()!.total;
    }
    this.#arm(now);
  }
}
