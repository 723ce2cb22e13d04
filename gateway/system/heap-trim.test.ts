import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { silentLogger } from '../../hardware/logger.js';
import { ManualClock } from '../../hardware/sim/manual-clock.js';
import { HeapTrim } from './heap-trim.js';

describe('HeapTrim', () => {
  it('collects once per interval while started, not after stop()', async () => {
    const clock = new ManualClock();
    let calls = 0;
    const trim = new HeapTrim({ clock, logger: silentLogger, intervalMs: 10_000, gc: () => calls++ });
    assert.equal(trim.enabled, true);
    trim.start();
    trim.start(); // idempotent: still one timer
    await clock.advance(35_000);
    assert.equal(calls, 3);
    assert.equal(trim.stats().runs, 3);
    trim.stop();
    await clock.advance(60_000);
    assert.equal(calls, 3);
  });

  it('without a collector (no --expose-gc) it is disabled and start() schedules nothing', async () => {
    const clock = new ManualClock();
    const trim = new HeapTrim({ clock, logger: silentLogger, gc: undefined });
    assert.equal(trim.enabled, false);
    trim.start();
    await clock.advance(60_000);
    assert.equal(trim.stats().runs, 0);
  });

  it('a collector that throws is logged and given up on; the daemon carries on', async () => {
    const clock = new ManualClock();
    const warnings: string[] = [];
    const logger = { ...silentLogger, warn: (_obj: unknown, msg?: string) => void warnings.push(String(msg)) };
    let calls = 0;
    const failing = (): void => {
      calls++;
      throw new Error('not now');
    };
    const trim = new HeapTrim({ clock, logger, intervalMs: 1_000, gc: failing });
    trim.start();
    await clock.advance(10_000);
    assert.equal(calls, 1);
    assert.match(warnings.join('\n'), /heap trim: gc\(\) failed/);
  });
});
