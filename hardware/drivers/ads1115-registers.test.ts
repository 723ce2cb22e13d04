import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
  ADS1115_INPUTS,
  COMPARATOR_QUEUES,
  DATA_RATES,
  FULL_SCALES,
  RESET_CONFIG,
  RESET_FIELDS,
  bytesFromWord,
  codeFromVolts,
  conversionTimeMs,
  decodeConfig,
  encodeConfig,
  inputPins,
  int16FromBytes,
  voltsFromCode,
  type Ads1115Config,
} from './ads1115-registers.js';

describe('ADS1115 registers', () => {
  it('encodes single-shot AIN0, ±4.096 V, 128 SPS, comparator off as 0xC383 (the HARDWARE.md example)', () => {
    const word = encodeConfig({
      os: true,
      input: 'AIN0',
      fullScale: 4.096,
      mode: 'single-shot',
      dataRate: 128,
      comparatorQueue: 'disabled',
    });
    assert.equal(word, 0xc383);
    assert.deepEqual(bytesFromWord(word), [0xc3, 0x83]);
  });

  it('decodes the reset value 0x8583 as the datasheet defaults', () => {
    assert.deepEqual(decodeConfig(RESET_CONFIG), {
      os: true,
      input: 'AIN0-AIN1',
      fullScale: 2.048,
      mode: 'single-shot',
      dataRate: 128,
      comparatorMode: 'traditional',
      comparatorPolarity: 'active-low',
      comparatorLatching: false,
      comparatorQueue: 'disabled',
    });
    assert.equal(encodeConfig({}), 0x8583);
    assert.equal(encodeConfig(RESET_FIELDS), RESET_CONFIG);
  });

  it('places each field in its bits', () => {
    const base = encodeConfig({ os: false, input: 'AIN0-AIN1', fullScale: 6.144, dataRate: 8, mode: 'continuous', comparatorQueue: 'assert-after-1' });
    assert.equal(base, 0x0000);
    assert.equal(encodeConfig({ ...decodeConfig(base), os: true }), 0x8000);
    assert.equal(encodeConfig({ ...decodeConfig(base), input: 'AIN3' }), 0x7000);
    assert.equal(encodeConfig({ ...decodeConfig(base), fullScale: 0.256 }), 0x0a00);
    assert.equal(encodeConfig({ ...decodeConfig(base), mode: 'single-shot' }), 0x0100);
    assert.equal(encodeConfig({ ...decodeConfig(base), dataRate: 860 }), 0x00e0);
    assert.equal(encodeConfig({ ...decodeConfig(base), comparatorMode: 'window' }), 0x0010);
    assert.equal(encodeConfig({ ...decodeConfig(base), comparatorPolarity: 'active-high' }), 0x0008);
    assert.equal(encodeConfig({ ...decodeConfig(base), comparatorLatching: true }), 0x0004);
    assert.equal(encodeConfig({ ...decodeConfig(base), comparatorQueue: 'disabled' }), 0x0003);
  });

  it('round-trips every combination of input, range, mode and data rate', () => {
    let checked = 0;
    for (const input of ADS1115_INPUTS) {
      for (const fullScale of FULL_SCALES) {
        for (const dataRate of DATA_RATES) {
          for (const mode of ['single-shot', 'continuous'] as const) {
            for (const comparatorQueue of COMPARATOR_QUEUES) {
              const fields: Ads1115Config = { ...RESET_FIELDS, os: checked % 2 === 0, input, fullScale, dataRate, mode, comparatorQueue };
              assert.deepEqual(decodeConfig(encodeConfig(fields)), fields);
              checked++;
            }
          }
        }
      }
    }
    assert.equal(checked, 8 * 6 * 8 * 2 * 4);
  });

  it('decodes every 16-bit word and re-encodes it unchanged except PGA codes 110/111 (aliases of ±0.256 V)', () => {
    for (let word = 0; word <= 0xffff; word++) {
      const pga = (word >> 9) & 0b111;
      const expected = pga >= 0b110 ? (word & ~0x0e00) | (0b101 << 9) : word;
      assert.equal(encodeConfig(decodeConfig(word)), expected, `word 0x${word.toString(16)}`);
    }
  });

  it('rejects values the chip does not have', () => {
    assert.throws(() => encodeConfig({ fullScale: 5 as never }), RangeError);
    assert.throws(() => encodeConfig({ dataRate: 100 as never }), RangeError);
    assert.throws(() => encodeConfig({ input: 'AIN4' as never }), RangeError);
  });

  it('maps inputs to the pins they measure', () => {
    assert.deepEqual(inputPins('AIN2'), { positive: 2 });
    assert.deepEqual(inputPins('AIN0-AIN1'), { positive: 0, negative: 1 });
    assert.deepEqual(inputPins('AIN1-AIN3'), { positive: 1, negative: 3 });
    assert.deepEqual(inputPins('AIN2-AIN3'), { positive: 2, negative: 3 });
  });

  it('gives the conversion time per data rate (7.8125 ms at 128 SPS)', () => {
    assert.equal(conversionTimeMs(128), 7.8125);
    assert.equal(conversionTimeMs(8), 125);
    assert.ok(Math.abs(conversionTimeMs(860) - 1.1628) < 1e-4);
  });

  it('converts codes and volts: 125 µV per count at ±4.096 V, clipped at the range', () => {
    assert.equal(voltsFromCode(1, 4.096), 0.000125);
    assert.equal(voltsFromCode(-32768, 2.048), -2.048);
    assert.equal(codeFromVolts(1.0, 4.096), 8000);
    assert.equal(codeFromVolts(-1.0, 4.096), -8000);
    assert.equal(codeFromVolts(5, 4.096), 0x7fff);
    assert.equal(codeFromVolts(-5, 4.096), -0x8000);
  });

  it('reads signed big-endian words', () => {
    assert.equal(int16FromBytes(0x7f, 0xff), 32767);
    assert.equal(int16FromBytes(0x80, 0x00), -32768);
    assert.equal(int16FromBytes(0xff, 0xff), -1);
    assert.equal(int16FromBytes(0x1f, 0x40), 8000);
    assert.deepEqual(bytesFromWord(-8000), [0xe0, 0xc0]);
  });
});
