/**
 * A time-lapse clock for `easygas gateway --simulate --speed N`: simulated time
 * runs N times faster than the base clock, for the wall clock, the monotonic clock
 * and timers alike, so every interval, hush time and rule duration in the daemon
 * keeps its proportions — the demo is the real daemon, fast-forwarded.
 */
import type { Clock } from '../clock.js';

export function scaledClock(base: Clock, speed: number, startWallMs = base.now()): Clock {
  if (!(speed > 0) || !Number.isFinite(speed)) throw new RangeError(`speed must be a positive number, got ${speed}`);
  const monoStart = base.monotonic();
  const elapsed = (): number => (base.monotonic() - monoStart) * speed;
  return {
    // Wall time follows the monotonic clock: an NTP step on the host does not jolt the simulation.
    // Whole milliseconds, as Date.now() gives: timestamps leave the Pi (store, MQTT, cloud) as integers.
    now: () => Math.floor(startWallMs + elapsed()),
    monotonic: elapsed,
    setTimeout: (fn, ms) => base.setTimeout(fn, Math.max(0, ms) / speed),
    clearTimeout: (handle) => base.clearTimeout(handle),
  };
}
