import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { Ads1115Sim, pinsFrom, type PinSource } from '../sim/ads1115-sim.js';
import { ManualClock } from '../sim/manual-clock.js';
import { createSimI2cBus, type SimI2cBackend } from '../sim/sim-i2c-bus.js';
import type { Result } from '../fault.js';
import { FULL_SCALES } from './ads1115-registers.js';
import { Ads1115, type Ads1115Sample } from './ads1115.js';

const ADDRESS = 0x48;

function rig(pins: PinSource, chipOptions: { conversionScale?: number; stuckBusy?: boolean } = {}): {
  adc: Ads1115;
  chip: Ads1115Sim;
  clock: ManualClock;
  backend: SimI2cBackend;
} {
  const clock = new ManualClock();
  const { bus, backend } = createSimI2cBus();
  const chip = new Ads1115Sim({ clock, pins, ...chipOptions });
  backend.attach(ADDRESS, chip);
  return { adc: new Ads1115({ bus, address: ADDRESS, clock }), chip, clock, backend };
}

function value<T>(result: Result<T>): T {
  if (!result.ok) assert.fail(`expected a value, got fault ${result.fault.code}: ${result.fault.message}`);
  return result.value;
}

/** One LSB at the range, plus float slack. */
const lsb = (fullScale: number): number => fullScale / 32768 + 1e-9;

describe('Ads1115 driver against the register-level emulator', () => {
  it('puts exactly the datasheet bytes on the wire for a single-shot read', async () => {
    const { adc, clock, backend } = rig(pinsFrom({ 0: () => 1.0 }));
    const sample = value(await clock.run(adc.readSingleShot({ input: 'AIN0' })));
    assert.equal(sample.code, 8000);
    const wire = backend.log.map((r) => [r.direction, ...r.bytes]);
    assert.deepEqual(wire, [
      ['write', 0x01, 0xc3, 0x83], // config: OS=1, AIN0, ±4.096 V, single-shot, 128 SPS, comparator off
      ['write', 0x01], // pointer → config
      ['read', 0xc3, 0x83], // OS=1: done
      ['write', 0x00], // pointer → conversion
      ['read', 0x1f, 0x40], // 8000, MSB first
    ]);
    assert.ok(backend.log.every((r) => r.address === ADDRESS));
  });

  it('waits the conversion time on the clock before the first poll', async () => {
    const { adc, clock } = rig(pinsFrom({ 0: () => 1.0 }));
    const before = clock.monotonic();
    value(await clock.run(adc.readSingleShot({ input: 'AIN0', dataRate: 8 })));
    assert.equal(clock.monotonic() - before, 125);
  });

  it('reads positive and negative voltages', async () => {
    const { adc, clock } = rig(pinsFrom({ 0: () => 1.2345, 1: () => 2.5 }));
    const positive = value(await clock.run(adc.readSingleShot({ input: 'AIN0' })));
    assert.ok(Math.abs(positive.volts - 1.2345) <= lsb(4.096), `${positive.volts}`);
    assert.equal(positive.clipped, false);
    const negative = value(await clock.run(adc.readSingleShot({ input: 'AIN0-AIN1' })));
    assert.ok(Math.abs(negative.volts - (1.2345 - 2.5)) <= lsb(4.096), `${negative.volts}`);
    assert.ok(negative.code < 0);
    assert.equal(negative.input, 'AIN0-AIN1');
  });

  it('reads at every PGA range, with the range in the config it sends', async () => {
    for (const [pga, fullScale] of FULL_SCALES.entries()) {
      const target = fullScale * 0.5; // 3.072 V at ±6.144 V: inside the 3.3 V chip's input range
      const { adc, clock, backend } = rig(pinsFrom({ 3: () => target }));
      const sample = value(await clock.run(adc.readSingleShot({ input: 'AIN3', fullScale })));
      assert.ok(Math.abs(sample.volts - target) <= lsb(fullScale), `±${fullScale} V: ${sample.volts}`);
      assert.equal(sample.fullScale, fullScale);
      assert.equal(sample.clipped, false);
      const configMsb = backend.log[0]?.bytes[1] ?? -1;
      assert.equal((configMsb >> 1) & 0b111, pga, `PGA bits for ±${fullScale} V`);
    }
  });

  it('uses the data rate asked for, in the DR bits and in the time it waits', async () => {
    for (const [dataRate, drBits] of [
      [8, 0b000],
      [860, 0b111],
    ] as const) {
      const { adc, clock, backend } = rig(pinsFrom({ 0: () => 0.5 }));
      const started = clock.monotonic();
      const sample = value(await clock.run(adc.readSingleShot({ input: 'AIN0', dataRate })));
      assert.ok(Math.abs(sample.volts - 0.5) <= lsb(4.096));
      const configLsb = backend.log[0]?.bytes[2] ?? -1;
      assert.equal(configLsb >> 5, drBits);
      const elapsed = clock.monotonic() - started;
      assert.ok(elapsed >= 1000 / dataRate && elapsed < 1000 / dataRate + 2, `${dataRate} SPS took ${elapsed} ms`);
    }
  });

  it('flags codes at ±full scale as clipped', async () => {
    const { adc, clock } = rig(pinsFrom({ 0: () => 3.0, 1: () => 0.2, 2: () => 3.0 }));
    const high = value(await clock.run(adc.readSingleShot({ input: 'AIN0', fullScale: 2.048 })));
    assert.deepEqual([high.code, high.clipped], [32767, true]);
    assert.ok(Math.abs(high.volts - 2.048) <= lsb(2.048));
    const low = value(await clock.run(adc.readSingleShot({ input: 'AIN1-AIN3', fullScale: 0.256 })));
    // AIN1 − AIN3 = 0.2 − 0 is inside ±0.256 V; AIN2 − AIN3 = 3.0 is not.
    assert.equal(low.clipped, false);
    const beyond = value(await clock.run(adc.readSingleShot({ input: 'AIN2-AIN3', fullScale: 0.256 })));
    assert.deepEqual([beyond.code, beyond.clipped], [32767, true]);
    const { adc: adc2, clock: clock2 } = rig(pinsFrom({ 0: () => 0.1, 1: () => 3.0 }));
    const negative = value(await clock2.run(adc2.readSingleShot({ input: 'AIN0-AIN1', fullScale: 1.024 })));
    assert.deepEqual([negative.code, negative.clipped, negative.volts], [-32768, true, -1.024]);
  });

  it('reads a differential input as the difference of its pins', async () => {
    const { adc, clock, backend } = rig(pinsFrom({ 0: () => 2.0, 3: () => 1.75 }));
    const sample = value(await clock.run(adc.readSingleShot({ input: 'AIN0-AIN3', fullScale: 0.512 })));
    assert.ok(Math.abs(sample.volts - 0.25) <= lsb(0.512), `${sample.volts}`);
    const configMsb = backend.log[0]?.bytes[1] ?? -1;
    assert.equal((configMsb >> 4) & 0b111, 0b001, 'MUX 001 = AIN0−AIN3');
  });

  it("tolerates a chip up to 10% slow, and reports 'timeout' for one that stays busy, releasing the bus", async () => {
    const slow = rig(pinsFrom({ 0: () => 1.0 }), { conversionScale: 1.1 });
    value(await slow.clock.run(slow.adc.readSingleShot({ input: 'AIN0' })));

    const { adc, chip, clock } = rig(pinsFrom({ 0: () => 1.0 }), { stuckBusy: true });
    const started = clock.monotonic();
    const result = await clock.run(adc.readSingleShot({ input: 'AIN0' }));
    assert.equal(result.ok, false);
    assert.equal(!result.ok && result.fault.code, 'timeout');
    assert.match(!result.ok ? result.fault.message : '', /0x48/);
    // Default timeout: 2 × 7.8125 ms + 10 ms.
    assert.equal(clock.monotonic() - started, 2 * 7.8125 + 10);
    assert.equal(clock.pending, 0, 'no timer left behind');
    chip.stuckBusy = false;
    const after = value(await clock.run(adc.readSingleShot({ input: 'AIN0' })));
    assert.equal(after.code, 8000);
  });

  it('does not blame the chip for a stall of this process between its busy answer and the deadline check', async () => {
    // The process loses 1 s right after the chip says "busy" (a CPU hog; at 60× time-lapse, 17 real ms):
    // by the time the driver looks, the deadline has passed, but the chip was asked well before it.
    const base = new ManualClock();
    let lost = 0;
    const clock = { exact: true, now: () => base.now() + lost, monotonic: () => base.monotonic() + lost, setTimeout: base.setTimeout.bind(base), clearTimeout: base.clearTimeout.bind(base) };
    const chip = new Ads1115Sim({ clock, pins: () => 1 });
    let stalled = false;
    const stalling = {
      write: (bytes: Uint8Array) => chip.write(bytes),
      read: (length: number) => {
        const out = chip.read(length);
        const busyConfig = length === 2 && ((out[0] ?? 0) & 0x80) === 0 && (out[0] ?? 0) !== 0;
        if (busyConfig && !stalled) {
          stalled = true;
          lost += 1_000;
        }
        return out;
      },
    };
    const { bus, backend } = createSimI2cBus();
    backend.attach(ADDRESS, stalling);
    const adc = new Ads1115({ bus, address: ADDRESS, clock });
    // The first poll must find the chip busy: a 10 % slow chip is still converting after the nominal 7.8 ms.
    chip.conversionScale = 1.1;
    const sample = value(await base.run(adc.readSingleShot({ input: 'AIN0' })));
    assert.equal(stalled, true, 'the stall happened');
    assert.equal(sample.code, 8000);
  });

  it('honours a configured timeout', async () => {
    const clock = new ManualClock();
    const { bus, backend } = createSimI2cBus();
    backend.attach(ADDRESS, new Ads1115Sim({ clock, pins: () => 1, conversionScale: 4 }));
    const patient = new Ads1115({ bus, address: ADDRESS, clock, timeoutMs: 40 });
    value(await clock.run(patient.readSingleShot({ input: 'AIN0' })));
    const impatient = new Ads1115({ bus, address: ADDRESS, clock, timeoutMs: 20 });
    const result = await clock.run(impatient.readSingleShot({ input: 'AIN0' }));
    assert.equal(!result.ok && result.fault.code, 'timeout');
  });

  it("reports 'no_ack' with a hint naming the address when nothing answers there", async () => {
    const clock = new ManualClock();
    const { bus } = createSimI2cBus();
    const adc = new Ads1115({ bus, address: 0x4b, clock });
    const result = await clock.run(adc.readSingleShot({ input: 'AIN0' }));
    assert.equal(result.ok, false);
    if (result.ok) return;
    assert.equal(result.fault.code, 'no_ack');
    assert.match(result.fault.message, /sim:\/dev\/i2c-1 address 0x4b/);
    assert.match(result.fault.hint ?? '', /0x4b/);
    assert.match(result.fault.hint ?? '', /i2cdetect/);
  });

  it('turns an injected EIO into a fault, then recovers on the next read', async () => {
    const { adc, clock, backend } = rig(pinsFrom({ 0: () => 1.0 }));
    backend.failNext(ADDRESS, 'EIO');
    const first = await clock.run(adc.readSingleShot({ input: 'AIN0' }));
    assert.equal(!first.ok && first.fault.code, 'no_ack');
    const second = value(await clock.run(adc.readSingleShot({ input: 'AIN0' })));
    assert.equal(second.code, 8000);
  });

  it('an EIO in the middle of the sequence (while polling) is a fault too', async () => {
    const { adc, clock, backend } = rig(pinsFrom({ 0: () => 1.0 }));
    const pending = adc.readSingleShot({ input: 'AIN0' });
    await clock.advance(1); // the config write is done; the driver waits for the conversion
    backend.failNext(ADDRESS, 'ETIMEDOUT');
    const result = await clock.run(pending);
    assert.equal(!result.ok && result.fault.code, 'timeout');
    value(await clock.run(adc.readSingleShot({ input: 'AIN0' })));
  });

  it("reports 'suspect' when the chip was reset during the conversion instead of a plausible 0 V", async () => {
    const { adc, chip, clock } = rig(pinsFrom({ 0: () => 1.0 }));
    const pending = adc.readSingleShot({ input: 'AIN0' });
    await clock.advance(1);
    chip.powerCycle();
    const result = await clock.run(pending);
    assert.equal(!result.ok && result.fault.code, 'suspect');
    assert.match(!result.ok ? result.fault.message : '', /0x8583 after 0xC383/);
  });

  it('never interleaves two concurrent reads of different channels on one chip', async () => {
    const { adc, clock, backend } = rig(pinsFrom({ 0: () => 0.5, 1: () => 1.5, 2: () => 2.5 }));
    const [a, b, c] = await clock.run(
      Promise.all([
        adc.readSingleShot({ input: 'AIN0' }),
        adc.readSingleShot({ input: 'AIN1', dataRate: 8 }),
        adc.readSingleShot({ input: 'AIN2', fullScale: 6.144 }),
      ]),
    );
    assert.ok(Math.abs(value(a).volts - 0.5) <= lsb(4.096));
    assert.ok(Math.abs(value(b).volts - 1.5) <= lsb(4.096));
    assert.ok(Math.abs(value(c).volts - 2.5) <= lsb(6.144));
    // Each read is one unbroken block on the wire, in call order: its config write,
    // config polls, then its own conversion read.
    const starts = backend.log.flatMap((r, i) => (r.direction === 'write' && r.bytes.length === 3 ? [i] : []));
    assert.equal(starts.length, 3);
    const samples = [value(a), value(b), value(c)];
    for (const [n, start] of starts.entries()) {
      const block = backend.log.slice(start, starts[n + 1] ?? backend.log.length);
      const mux = ((block[0]?.bytes[1] ?? 0) >> 4) & 0b111;
      assert.equal(mux, 0b100 + n, `block ${n} starts AIN${n}`);
      const shape = block
        .slice(1)
        .map((r) => (r.direction === 'read' ? 'R' : `W${r.bytes[0]}`))
        .join(' ');
      assert.match(shape, /^(W1 R )+W0 R$/, `block ${n}: ${shape}`);
      const code = samples[n]?.code ?? NaN;
      assert.deepEqual(block.at(-1)?.bytes, [(code >> 8) & 0xff, code & 0xff]);
    }
  });

  it('probes the config register to prove the chip answers', async () => {
    const { adc, clock } = rig(() => 0);
    assert.deepEqual(value(await clock.run(adc.probe())), { config: 0x8583 });
    const { bus } = createSimI2cBus();
    const absent = new Ads1115({ bus, address: 0x49, clock });
    const result = await clock.run(absent.probe());
    assert.equal(!result.ok && result.fault.code, 'no_ack');
  });

  it('returns a fault, not an exception, for options the chip does not have', async () => {
    const { adc, clock, backend } = rig(() => 0);
    const result = await clock.run(adc.readSingleShot({ input: 'AIN0', fullScale: 5 as never }));
    assert.equal(!result.ok && result.fault.code, 'out_of_range');
    assert.deepEqual(backend.log, [], 'nothing sent');
  });

  it('counts every outcome', async () => {
    const { adc, chip, clock, backend } = rig(pinsFrom({ 0: () => 1.0 }));
    const results: Result<Ads1115Sample>[] = [];
    results.push(await clock.run(adc.readSingleShot({ input: 'AIN0' })));
    results.push(await clock.run(adc.readSingleShot({ input: 'AIN0' })));
    backend.failNext(ADDRESS, 'EREMOTEIO');
    results.push(await clock.run(adc.readSingleShot({ input: 'AIN0' })));
    chip.stuckBusy = true;
    results.push(await clock.run(adc.readSingleShot({ input: 'AIN0' })));
    await clock.run(adc.probe());
    assert.deepEqual(adc.counts(), { ok: 3, no_ack: 1, timeout: 1 });
    assert.equal(results.filter((r) => r.ok).length, 2);
  });

  it('refuses an address that is not 7-bit at construction', () => {
    const { bus } = createSimI2cBus();
    assert.throws(() => new Ads1115({ bus, address: 0x148, clock: new ManualClock() }), RangeError);
  });
});
