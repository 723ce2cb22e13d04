import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { encodeConfig } from '../drivers/ads1115-registers.js';
import { Ads1115Sim, pinsFrom, type PinSource } from './ads1115-sim.js';
import { ManualClock } from './manual-clock.js';

function sim(pins: PinSource, extra: { conversionScale?: number; stuckBusy?: boolean } = {}): {
  chip: Ads1115Sim;
  clock: ManualClock;
} {
  const clock = new ManualClock();
  return { chip: new Ads1115Sim({ clock, pins, ...extra }), clock };
}

function readWord(chip: Ads1115Sim, pointer: number): number {
  chip.write(Uint8Array.of(pointer));
  const [msb = -1, lsb = -1] = chip.read(2);
  return (msb << 8) | lsb;
}

function writeWord(chip: Ads1115Sim, pointer: number, word: number): void {
  chip.write(Uint8Array.of(pointer, word >> 8, word & 0xff));
}

const START_AIN0 = encodeConfig({ os: true, input: 'AIN0', fullScale: 4.096, dataRate: 128 }); // 0xC383

describe('Ads1115Sim', () => {
  it('powers on with the datasheet register values', () => {
    const { chip } = sim(() => 0);
    assert.equal(readWord(chip, 0x01), 0x8583);
    assert.equal(readWord(chip, 0x02), 0x8000);
    assert.equal(readWord(chip, 0x03), 0x7fff);
    assert.equal(readWord(chip, 0x00), 0x0000);
  });

  it('keeps the pointer between transactions: a bare read returns the last register pointed at', () => {
    const { chip } = sim(() => 0);
    chip.write(Uint8Array.of(0x03));
    assert.deepEqual([...chip.read(2)], [0x7f, 0xff]);
    assert.deepEqual([...chip.read(2)], [0x7f, 0xff]);
  });

  it('runs a single-shot conversion for 1/DR: OS reads 0 while converting, 1 when done', async () => {
    const { chip, clock } = sim(pinsFrom({ 0: () => 1.0 }));
    writeWord(chip, 0x01, START_AIN0);
    assert.equal(readWord(chip, 0x01), 0x4383, 'busy: OS = 0, settings as written');
    await clock.advance(7.8);
    assert.equal(readWord(chip, 0x01) & 0x8000, 0, 'still busy just before 7.8125 ms');
    assert.equal(readWord(chip, 0x00), 0, 'the conversion register still holds the old result');
    await clock.advance(0.0125);
    assert.equal(readWord(chip, 0x01), 0xc383);
    assert.equal(readWord(chip, 0x00), 8000, '1.000 V at ±4.096 V');
    assert.equal(chip.conversions, 1);
  });

  it('measures differential inputs as the difference of the pins, negative codes in two’s complement', async () => {
    const { chip, clock } = sim(pinsFrom({ 2: () => 0.5, 3: () => 1.5 }));
    writeWord(chip, 0x01, encodeConfig({ os: true, input: 'AIN2-AIN3', fullScale: 2.048, dataRate: 860 }));
    await clock.advance(2);
    assert.equal(readWord(chip, 0x00), 0x10000 - 16000, '−1.0 V at ±2.048 V');
  });

  it('clips at the PGA range and clamps pins at the supply rails', async () => {
    const { chip, clock } = sim(pinsFrom({ 0: () => 3.0, 1: () => -2 }));
    writeWord(chip, 0x01, encodeConfig({ os: true, input: 'AIN0', fullScale: 1.024 }));
    await clock.advance(10);
    assert.equal(readWord(chip, 0x00), 0x7fff);
    writeWord(chip, 0x01, encodeConfig({ os: true, input: 'AIN1', fullScale: 0.256 }));
    await clock.advance(10);
    assert.equal(readWord(chip, 0x00), 0x8000);
    // 5 V on a 3.3 V chip: the ESD diodes hold the pin at 3.6 V.
    chip.setPins(pinsFrom({ 0: () => 5.0 }));
    writeWord(chip, 0x01, encodeConfig({ os: true, input: 'AIN0', fullScale: 6.144 }));
    await clock.advance(10);
    assert.equal(readWord(chip, 0x00), Math.round((3.6 * 32768) / 6.144));
  });

  it('samples the pins when the conversion completes', async () => {
    const { chip, clock } = sim((_pin, now) => now / 1000); // 1 mV per ms
    await clock.advance(100);
    writeWord(chip, 0x01, encodeConfig({ os: true, input: 'AIN0', fullScale: 0.256, dataRate: 8 }));
    await clock.advance(200);
    // Done at 225 ms → 0.225 V.
    assert.equal(readWord(chip, 0x00), Math.round((0.225 * 32768) / 0.256));
  });

  it('scales conversion time for a slow chip', async () => {
    const { chip, clock } = sim(() => 1, { conversionScale: 2 });
    writeWord(chip, 0x01, START_AIN0);
    await clock.advance(10);
    assert.equal(readWord(chip, 0x01) & 0x8000, 0);
    await clock.advance(6);
    assert.equal(readWord(chip, 0x01) & 0x8000, 0x8000);
  });

  it('stays busy for ever when stuck, and finishes once unstuck', async () => {
    const { chip, clock } = sim(() => 1, { stuckBusy: true });
    writeWord(chip, 0x01, START_AIN0);
    await clock.advance(10_000);
    assert.equal(readWord(chip, 0x01) & 0x8000, 0);
    assert.equal(chip.conversions, 0);
    chip.stuckBusy = false;
    assert.equal(readWord(chip, 0x01) & 0x8000, 0x8000);
    assert.equal(readWord(chip, 0x00), 8000);
  });

  it('ignores a start while a conversion runs (OS = 1 acts only from power-down)', async () => {
    const { chip, clock } = sim(() => 1, { conversionScale: 1 });
    writeWord(chip, 0x01, encodeConfig({ os: true, input: 'AIN0', dataRate: 8 }));
    await clock.advance(100);
    writeWord(chip, 0x01, encodeConfig({ os: true, input: 'AIN0', dataRate: 8 }));
    await clock.advance(25);
    assert.equal(readWord(chip, 0x01) & 0x8000, 0x8000, 'the first conversion ends at 125 ms, not 225 ms');
    assert.equal(chip.conversions, 1);
  });

  it('converts back to back in continuous mode, always showing the latest result', async () => {
    let volts = 0.1;
    const { chip, clock } = sim(() => volts);
    writeWord(chip, 0x01, encodeConfig({ os: false, mode: 'continuous', input: 'AIN0', fullScale: 4.096, dataRate: 128 }));
    await clock.advance(7.8125 * 10);
    assert.equal(chip.conversions, 10);
    assert.equal(readWord(chip, 0x00), 800);
    volts = 0.2;
    await clock.advance(7.8125);
    assert.equal(readWord(chip, 0x00), 1600);
    assert.equal(chip.conversions, 11);
    assert.equal(readWord(chip, 0x01) & 0x8000, 0, 'always converting');
  });

  it('stores the threshold registers and ignores writes to the conversion register', () => {
    const { chip } = sim(() => 0);
    writeWord(chip, 0x02, 0x1234);
    writeWord(chip, 0x03, 0xfedc);
    writeWord(chip, 0x00, 0x5555);
    assert.equal(readWord(chip, 0x02), 0x1234);
    assert.equal(readWord(chip, 0x03), 0xfedc);
    assert.equal(readWord(chip, 0x00), 0);
  });

  it('returns to power-on values after a power cycle', async () => {
    const { chip, clock } = sim(() => 1);
    writeWord(chip, 0x01, START_AIN0);
    await clock.advance(10);
    chip.powerCycle();
    assert.equal(readWord(chip, 0x01), 0x8583);
    assert.equal(readWord(chip, 0x00), 0);
  });

  it('refuses a pin source that gives a non-number', async () => {
    const { chip, clock } = sim(() => NaN);
    writeWord(chip, 0x01, START_AIN0);
    await clock.advance(10);
    assert.throws(() => readWord(chip, 0x00), /NaN V for AIN0/);
  });
});
