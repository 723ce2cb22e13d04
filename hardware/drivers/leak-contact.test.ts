import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { DigitalInput, Level } from '../ports/digital.js';
import { ManualClock } from '../sim/manual-clock.js';
import { SimGpio } from '../sim/sim-gpio.js';
import { LeakContact } from './leak-contact.js';

/** An LM393 module on GPIO27: output pulled high when dry, low when wet. */
async function setup() {
  const clock = new ManualClock();
  const gpio = new SimGpio(clock);
  gpio.setInput(27, 1);
  const contact = new LeakContact(await gpio.openInput(27, { activeLow: true }), { clock });
  const changes: [number, boolean][] = [];
  contact.onChange((wet) => changes.push([clock.monotonic(), wet]));
  return { clock, gpio, contact, changes };
}

describe('LeakContact', () => {
  it('reads dry, then wet once the bouncing contact settles for 200 ms', async () => {
    const { clock, gpio, contact, changes } = await setup();
    assert.deepEqual(await contact.read(), { ok: true, value: { wet: false } });
    await clock.run(gpio.bounce(27, 0, { transitions: 11, spanMs: 150 }));
    await clock.advance(199);
    assert.deepEqual(changes, []);
    assert.deepEqual(await contact.read(), { ok: true, value: { wet: false } });
    await clock.advance(1);
    assert.deepEqual(changes, [[350, true]]);
    assert.deepEqual(await contact.read(), { ok: true, value: { wet: true } });
    assert.deepEqual(contact.counts(), { ok: 3 });
  });

  it('ignores a splash shorter than the debounce time', async () => {
    const { clock, gpio, changes } = await setup();
    gpio.setInput(27, 0);
    await clock.advance(150);
    gpio.setInput(27, 1);
    await clock.advance(1000);
    assert.deepEqual(changes, []);
  });

  it('honours a custom debounce time', async () => {
    const clock = new ManualClock();
    const gpio = new SimGpio(clock);
    const contact = new LeakContact(await gpio.openInput(22), { clock, debounceMs: 20 });
    const changes: boolean[] = [];
    contact.onChange((wet) => changes.push(wet));
    gpio.setInput(22, 1);
    await clock.advance(20);
    assert.deepEqual(changes, [true]);
  });

  it('turns a failing read into a counted fault, never a throw', async () => {
    const clock = new ManualClock();
    const broken: DigitalInput = {
      name: 'GPIO27',
      read: () => Promise.reject(Object.assign(new Error('EIO: i/o error, read'), { code: 'EIO' })),
      watch: () => () => undefined,
      close: () => Promise.resolve(),
    };
    const contact = new LeakContact(broken, { clock });
    const result = await contact.read();
    assert.equal(result.ok, false);
    assert.equal(!result.ok && result.fault.code, 'io');
    assert.match(!result.ok ? result.fault.message : '', /GPIO27/);
    assert.deepEqual(contact.counts(), { io: 1 });
  });

  it('after close: reads are a closed fault, no more changes, pin released', async () => {
    const { clock, gpio, contact, changes } = await setup();
    await contact.close();
    const result = await contact.read();
    assert.equal(!result.ok && result.fault.code, 'closed');
    gpio.setInput(27, 0);
    await clock.advance(500);
    assert.deepEqual(changes, []);
    assert.equal(gpio.isOpen(27), false);
  });

  it('unsubscribes a listener', async () => {
    const { clock, gpio, contact } = await setup();
    const seen: Level[] = [];
    const stop = contact.onChange((wet) => seen.push(wet ? 1 : 0));
    stop();
    gpio.setInput(27, 0);
    await clock.advance(300);
    assert.deepEqual(seen, []);
  });
});
