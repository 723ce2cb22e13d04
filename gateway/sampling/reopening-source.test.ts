import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { HardwareError } from '../../hardware/fault.js';
import { silentLogger } from '../../hardware/logger.js';
import { ManualClock } from '../../hardware/sim/manual-clock.js';
import { reopeningSource } from './reopening-source.js';
import type { SampleSource, SourceReading } from './sample-source.js';

function device(readings: SourceReading[]): SampleSource & { closed: number; push?: (r: SourceReading) => void } {
  const d: SampleSource & { closed: number; push?: (r: SourceReading) => void } = {
    sensorId: 's',
    where: 'dev',
    closed: 0,
    read: () => Promise.resolve(readings.shift() ?? { value: 0 }),
    subscribe: (listener) => {
      d.push = listener;
      return () => (d.push = undefined);
    },
    close: () => {
      d.closed++;
      return Promise.resolve();
    },
  };
  return d;
}

describe('reopeningSource', () => {
  it('returns the opening fault with its hint until the device appears, retrying at most every retryMs', async () => {
    const clock = new ManualClock();
    let opens = 0;
    let present = false;
    const source = reopeningSource({
      sensorId: 's',
      where: '/dev/i2c-1',
      clock,
      logger: silentLogger,
      retryMs: 30_000,
      open: () => {
        opens++;
        if (!present) return Promise.reject(new HardwareError({ code: 'missing', message: '/dev/i2c-1 does not exist', hint: 'dtparam=i2c_arm=on' }));
        return Promise.resolve(device([{ value: 42 }]));
      },
    });
    assert.deepEqual(await source.read(), { fault: { code: 'missing', message: '/dev/i2c-1 does not exist', hint: 'dtparam=i2c_arm=on' } });
    await clock.advance(10_000);
    await source.read();
    assert.equal(opens, 1, 'no retry before retryMs');
    present = true;
    await clock.advance(20_000);
    assert.deepEqual(await source.read(), { value: 42 });
    assert.equal(opens, 2);
  });

  it('closes and reopens after a fault that means the device vanished, and forwards pushed readings', async () => {
    const clock = new ManualClock();
    const devices = [device([{ fault: { code: 'io', message: 'adapter unplugged' } }]), device([{ value: 7 }])];
    const opened: ReturnType<typeof device>[] = [];
    const source = reopeningSource({
      sensorId: 's',
      where: '/dev/ttyUSB0',
      clock,
      logger: silentLogger,
      retryMs: 30_000,
      reopenOn: ['io'],
      open: () => {
        const next = devices.shift();
        if (next === undefined) return Promise.reject(new Error('no more devices'));
        opened.push(next);
        return Promise.resolve(next);
      },
    });
    const pushed: SourceReading[] = [];
    source.subscribe?.((r) => pushed.push(r));
    const first = await source.read();
    assert.ok('fault' in first && first.fault.code === 'io', 'the vanished device reports its fault');
    assert.equal(opened[0]?.closed, 1, 'the vanished device was closed');
    await clock.advance(15_000); // the first retry comes after half the usual period
    assert.deepEqual(await source.read(), { value: 7 });
    opened[1]?.push?.({ value: 1 });
    assert.deepEqual(pushed, [{ value: 1 }], 'pushes from the reopened device reach the subscriber');
    const plainError = reopeningSource({ sensorId: 'x', where: 'w', clock, logger: silentLogger, open: () => Promise.reject(new Error('boom')) });
    assert.deepEqual(await plainError.read(), { fault: { code: 'io', message: 'w: boom' } });
  });
});
