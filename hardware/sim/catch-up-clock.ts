/**
 * The demo's clock: simulated time starts `leadMs` in the past and runs `speed`
 * times faster than the base clock until it reaches the present, then keeps pace
 * with it. A time-lapse that never runs ahead of real time, so nothing the
 * simulated gateway stores or syncs carries a timestamp in the future.
 */
import type { Clock } from '../clock.js';

export function catchUpClock(base: Clock, speed: number, leadMs: number): Clock {
  if (!(speed > 1) || !Number.isFinite(speed)) throw new RangeError(`speed must be a number above 1, got ${speed}`);
  if (!(leadMs >= 0) || !Number.isFinite(leadMs)) throw new RangeError(`leadMs must be 0 or more, got ${leadMs}`);
  const monoStart = base.monotonic();
  const startWallMs = base.now() - leadMs;
  // Real milliseconds until simulated time meets the present: lead / (speed - 1).
  const catchUpRealMs = leadMs / (speed - 1);
  const catchUpSimMs = catchUpRealMs * speed;
  const simAt = (realMs: number): number => (realMs < catchUpRealMs ? realMs * speed : catchUpSimMs + (realMs - catchUpRealMs));
  const realAt = (simMs: number): number => (simMs <= catchUpSimMs ? simMs / speed : catchUpRealMs + (simMs - catchUpSimMs));
  const realElapsed = (): number => base.monotonic() - monoStart;
  return {
    // Whole milliseconds, as Date.now() gives; wall time follows the monotonic clock (an NTP step does not jolt it).
    now: () => Math.floor(startWallMs + simAt(realElapsed())),
    monotonic: () => simAt(realElapsed()),
    setTimeout: (fn, ms) => {
      const real = realElapsed();
      return base.setTimeout(fn, realAt(simAt(real) + Math.max(0, ms)) - real);
    },
    clearTimeout: (handle) => base.clearTimeout(handle),
  };
}
