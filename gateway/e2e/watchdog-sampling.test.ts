/**
 * The watchdog is fed by the sampling loop's health, not by a timer: while the bus
 * pollers run, it pings; when their loop dies (here: the timers the pollers schedule
 * stop firing, as in a wedged event loop or a crashed poller), the pings stop, so
 * systemd kills and restarts the daemon after WatchdogSec.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { TimerHandle } from '../../hardware/clock.js';
import { silentLogger } from '../../hardware/logger.js';
import { ManualClock } from '../../hardware/sim/manual-clock.js';
import { startRig, T0 } from '../app/test-support/daemon-rig.js';
import type { Notifier } from '../system/sd-notify.js';
import { Watchdog } from '../system/watchdog.js';

/** A manual clock whose timers can be held back: while wedged, the loop is dead; unwedged, it resumes. */
class WedgeableClock extends ManualClock {
  #wedged = false;
  readonly #held: (() => void)[] = [];
  wedge(): void {
    this.#wedged = true;
  }
  unwedge(): void {
    this.#wedged = false;
    for (const fn of this.#held.splice(0)) super.setTimeout(fn, 0);
  }
  override setTimeout(fn: () => void, ms: number): TimerHandle {
    return super.setTimeout(() => {
      if (this.#wedged) this.#held.push(fn);
      else fn();
    }, ms);
  }
}

function countingNotifier(): Notifier & { pings: number } {
  const n = {
    active: true,
    watchdogMs: 2_000,
    pings: 0,
    send: () => undefined,
    ready: () => undefined,
    watchdog: () => void n.pings++,
    stopping: () => undefined,
    status: () => undefined,
    close: () => undefined,
  };
  return n;
}

describe('watchdog fed by sampling health', () => {
  it('pings while the pollers sample and withholds pings once their loop is dead', async () => {
    const clock = new WedgeableClock(T0);
    const rig = await startRig({ clock });
    try {
      const notifier = countingNotifier();
      const watchdogClock = new ManualClock(T0); // the watchdog's own timer keeps running
      const watchdog = new Watchdog({ notifier, clock: watchdogClock, check: () => rig.daemon.samplingProblem(), logger: silentLogger });
      watchdog.start();

      await clock.advance(30_000);
      assert.equal(rig.daemon.samplingProblem(), undefined);
      await watchdogClock.advance(10_000);
      assert.equal(notifier.pings, 10, 'one ping per second (half of WATCHDOG_USEC) while healthy');

      clock.wedge();
      await clock.advance(120_000); // every sensor's read falls due and nothing serves it
      assert.match(rig.daemon.samplingProblem() ?? '', /sampling is stuck on /);
      await watchdogClock.advance(10_000);
      assert.equal(notifier.pings, 10, 'no ping while the loop is dead');
      assert.equal(watchdog.missed, 10);

      clock.unwedge();
      await clock.advance(30_000);
      assert.equal(rig.daemon.samplingProblem(), undefined, 'a loop that comes back is healthy again');
      await watchdogClock.advance(2_000);
      assert.equal(notifier.pings, 12);
      watchdog.stop();
    } finally {
      clock.unwedge();
      await rig.stop();
    }
  });
});
