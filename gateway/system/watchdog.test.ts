import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { silentLogger } from '../../hardware/logger.js';
import { ManualClock } from '../../hardware/sim/manual-clock.js';
import type { Notifier } from './sd-notify.js';
import { Watchdog } from './watchdog.js';

function recorder(watchdogMs: number | undefined): Notifier & { pings: number[] } {
  const pings: number[] = [];
  return {
    pings,
    active: true,
    watchdogMs,
    send: () => undefined,
    ready: () => undefined,
    watchdog: () => pings.push(pings.length),
    stopping: () => undefined,
    status: () => undefined,
    close: () => undefined,
  };
}

describe('Watchdog', () => {
  it('pings at half the watchdog period while healthy, withholds pings while the check fails, resumes after', async () => {
    const clock = new ManualClock();
    const notifier = recorder(20_000);
    let stuck: string | undefined;
    const dog = new Watchdog({ notifier, clock, check: () => stuck, logger: silentLogger });
    dog.start();
    await clock.advance(30_000);
    assert.equal(notifier.pings.length, 3, 'every 10 s');
    stuck = 'poller /dev/i2c-1 is not serving its due reads';
    await clock.advance(60_000);
    assert.equal(notifier.pings.length, 3, 'no pings while the sampling loop is stuck');
    assert.equal(dog.missed, 6);
    stuck = undefined;
    await clock.advance(10_000);
    assert.equal(notifier.pings.length, 4);
    dog.stop();
    await clock.advance(60_000);
    assert.equal(notifier.pings.length, 4);
  });

  it('treats a check that throws as unhealthy, and does nothing without WATCHDOG_USEC', () => {
    const clock = new ManualClock();
    const notifier = recorder(undefined);
    const dog = new Watchdog({
      notifier,
      clock,
      check: () => {
        throw new Error('boom');
      },
      logger: silentLogger,
    });
    dog.start();
    assert.equal(clock.pending, 0, 'no watchdog requested: no timer');
    dog.tick();
    assert.equal(notifier.pings.length, 0);
    assert.equal(dog.missed, 1);
  });
});
