import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { HardwareError } from '../fault.js';
import type { Level } from '../ports/digital.js';
import { ManualClock } from './manual-clock.js';
import { SimGpio } from './sim-gpio.js';

async function rejection(promise: Promise<unknown>): Promise<HardwareError> {
  try {
    await promise;
  } catch (err) {
    assert.ok(err instanceof HardwareError, `expected a HardwareError, got ${String(err)}`);
    return err;
  }
  assert.fail('expected a rejection');
}

describe('SimGpio inputs', () => {
  it('reads the level at once and delivers the edge asynchronously', async () => {
    const clock = new ManualClock();
    const gpio = new SimGpio(clock);
    const input = await gpio.openInput(17);
    const seen: Level[] = [];
    input.watch((level) => seen.push(level));
    gpio.setInput(17, 1);
    assert.equal(await input.read(), 1);
    assert.deepEqual(seen, [], 'no edge delivered synchronously');
    await clock.advance(0);
    assert.deepEqual(seen, [1]);
    gpio.setInput(17, 1);
    await clock.advance(10);
    assert.deepEqual(seen, [1], 'no edge without a change');
  });

  it('inverts reads and edges for an active-low input', async () => {
    const clock = new ManualClock();
    const gpio = new SimGpio(clock);
    gpio.setInput(5, 1); // pulled up: idle
    const input = await gpio.openInput(5, { activeLow: true });
    assert.equal(await input.read(), 0);
    const seen: Level[] = [];
    input.watch((level) => seen.push(level));
    gpio.setInput(5, 0);
    await clock.advance(0);
    assert.deepEqual(seen, [1]);
    assert.equal(await input.read(), 1);
  });

  it('bounces: alternating changes spread over the span, ending on the final level', async () => {
    const clock = new ManualClock();
    const gpio = new SimGpio(clock);
    const input = await gpio.openInput(17);
    const seen: [number, Level][] = [];
    input.watch((level) => seen.push([clock.monotonic(), level]));
    await clock.run(gpio.bounce(17, 1, { transitions: 5, spanMs: 40 }));
    await clock.advance(0);
    assert.deepEqual(seen, [
      [0, 1],
      [10, 0],
      [20, 1],
      [30, 0],
      [40, 1],
    ]);
    assert.equal(await input.read(), 1);
  });

  it('an even bounce from the final level starts with a change away from it', async () => {
    const clock = new ManualClock();
    const gpio = new SimGpio(clock);
    const input = await gpio.openInput(17);
    const seen: Level[] = [];
    input.watch((level) => seen.push(level));
    await clock.run(gpio.bounce(17, 0, { transitions: 4, spanMs: 30 }));
    await clock.advance(0);
    assert.deepEqual(seen, [1, 0, 1, 0]);
  });

  it('stops delivering after close, and refuses reads', async () => {
    const clock = new ManualClock();
    const gpio = new SimGpio(clock);
    const input = await gpio.openInput(17);
    const seen: Level[] = [];
    input.watch((level) => seen.push(level));
    gpio.setInput(17, 1);
    await input.close();
    await clock.advance(0);
    assert.deepEqual(seen, []);
    assert.equal((await rejection(input.read())).code, 'closed');
  });
});

describe('SimGpio outputs', () => {
  it('records physical changes on the monotonic clock, opening level first', async () => {
    const clock = new ManualClock();
    const gpio = new SimGpio(clock);
    const out = await gpio.openOutput(18);
    await out.write(1);
    await clock.advance(250);
    await out.write(1);
    await out.write(0);
    assert.deepEqual(gpio.history(18), [
      { atMs: 0, level: 0 },
      { atMs: 0, level: 1 },
      { atMs: 250, level: 0 },
    ]);
    assert.equal(gpio.writeCount(18), 3);
    assert.equal(out.level, 0);
  });

  it('drives an active-low output high when inactive', async () => {
    const clock = new ManualClock();
    const gpio = new SimGpio(clock);
    const out = await gpio.openOutput(27, { activeLow: true });
    assert.equal(gpio.output(27), 1);
    await out.write(1);
    assert.equal(gpio.output(27), 0);
    await out.close();
    assert.equal(gpio.output(27), 1);
  });

  it('throws busy when a line is opened twice, and frees it on close', async () => {
    const clock = new ManualClock();
    const gpio = new SimGpio(clock);
    const out = await gpio.openOutput(18);
    assert.equal((await rejection(gpio.openOutput(18))).code, 'busy');
    assert.equal((await rejection(gpio.openInput(18))).code, 'busy');
    await out.close();
    assert.equal(gpio.isOpen(18), false);
    await gpio.openInput(18);
  });

  it('injects write failures and latency; a write landing after close is dropped', async () => {
    const clock = new ManualClock();
    const gpio = new SimGpio(clock);
    const out = await gpio.openOutput(18);
    gpio.failWrites(18, 1);
    await assert.rejects(out.write(1), { code: 'EIO' });
    assert.equal(gpio.output(18), 0);
    gpio.setWriteLatency(18, 30);
    const slow = out.write(1);
    await clock.advance(29);
    assert.equal(gpio.output(18), 0);
    await clock.advance(1);
    await slow;
    assert.equal(gpio.output(18), 1);
    const late = rejection(out.write(1));
    await out.close();
    assert.equal(gpio.output(18), 0);
    await clock.advance(30);
    assert.equal((await late).code, 'closed');
    assert.equal(gpio.output(18), 0, 'the late write did not switch the pin back on');
  });
});
