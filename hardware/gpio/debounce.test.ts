import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { Level } from '../ports/digital.js';
import { ManualClock } from '../sim/manual-clock.js';
import { SimGpio } from '../sim/sim-gpio.js';
import { debounceInput } from './debounce.js';

async function setup(ms = 50) {
  const clock = new ManualClock();
  const gpio = new SimGpio(clock);
  const raw = await gpio.openInput(17);
  const input = debounceInput(raw, { ms, clock });
  const events: [number, Level][] = [];
  input.watch((level) => events.push([clock.monotonic(), level]));
  return { clock, gpio, input, events };
}

describe('debounceInput', () => {
  it('turns a burst of bounces into one event, ms after the last edge', async () => {
    const { clock, gpio, input, events } = await setup(50);
    await clock.run(gpio.bounce(17, 1, { transitions: 7, spanMs: 30 }));
    await clock.advance(49);
    assert.deepEqual(events, [], 'nothing while the last edge is younger than ms');
    assert.equal(await input.read(), 0, 'read() still gives the debounced level');
    await clock.advance(1);
    assert.deepEqual(events, [[80, 1]]);
    assert.equal(await input.read(), 1);
  });

  it('reports a level held exactly ms', async () => {
    const { clock, gpio, events } = await setup(50);
    gpio.setInput(17, 1);
    await clock.advance(50);
    assert.deepEqual(events, [[50, 1]]);
  });

  it('drops a glitch shorter than ms', async () => {
    const { clock, gpio, input, events } = await setup(50);
    assert.equal(await input.read(), 0);
    gpio.setInput(17, 1);
    await clock.advance(49);
    gpio.setInput(17, 0);
    await clock.advance(200);
    assert.deepEqual(events, []);
    assert.equal(await input.read(), 0);
  });

  it('reports each settled change of a flickering wet rope once', async () => {
    const { clock, gpio, events } = await setup(200);
    await clock.run(gpio.bounce(17, 1, { transitions: 9, spanMs: 400 }));
    await clock.advance(1000);
    await clock.run(gpio.bounce(17, 0, { transitions: 5, spanMs: 100 }));
    await clock.advance(1000);
    assert.deepEqual(events, [
      [600, 1],
      [1000 + 400 + 100 + 200, 0],
    ]);
  });

  it('starts from the pin level, and stops after close', async () => {
    const clock = new ManualClock();
    const gpio = new SimGpio(clock);
    gpio.setInput(17, 1);
    const input = debounceInput(await gpio.openInput(17), { ms: 50, clock });
    const events: Level[] = [];
    input.watch((level) => events.push(level));
    assert.equal(await input.read(), 1);
    gpio.setInput(17, 0);
    assert.equal(await input.read(), 1, 'a fresh change is not the debounced level yet');
    await input.close();
    await clock.advance(100);
    assert.deepEqual(events, []);
    assert.equal(clock.pending, 0, 'close() leaves no timer behind');
    assert.equal(gpio.isOpen(17), false, 'close() closes the raw input');
  });

  it('rejects a negative or non-finite window', async () => {
    const clock = new ManualClock();
    const raw = await new SimGpio(clock).openInput(1);
    assert.throws(() => debounceInput(raw, { ms: -1, clock }), RangeError);
    assert.throws(() => debounceInput(raw, { ms: Number.NaN, clock }), RangeError);
  });
});
