/**
 * The ADS1115's register map and config word, shared by the driver and the
 * register-level emulator so both speak exactly the same bits (TI SBAS444, §9.6;
 * HARDWARE.md "ADS1115").
 */

/** Register pointers: the first byte of every write selects one. */
export const REG_CONVERSION = 0x00;
export const REG_CONFIG = 0x01;
export const REG_LO_THRESH = 0x02;
export const REG_HI_THRESH = 0x03;

export type RegisterPointer = typeof REG_CONVERSION | typeof REG_CONFIG | typeof REG_LO_THRESH | typeof REG_HI_THRESH;

/** Config register bit fields. */
export const CONFIG_OS = 0x8000;
export const CONFIG_MUX_SHIFT = 12;
export const CONFIG_MUX_MASK = 0x7000;
export const CONFIG_PGA_SHIFT = 9;
export const CONFIG_PGA_MASK = 0x0e00;
/** 1 = single-shot (power-down between conversions), 0 = continuous. */
export const CONFIG_MODE = 0x0100;
export const CONFIG_DR_SHIFT = 5;
export const CONFIG_DR_MASK = 0x00e0;
/** 0 = traditional comparator, 1 = window comparator. */
export const CONFIG_COMP_MODE = 0x0010;
/** 0 = ALERT/RDY active low, 1 = active high. */
export const CONFIG_COMP_POL = 0x0008;
/** 1 = latching comparator. */
export const CONFIG_COMP_LAT = 0x0004;
export const CONFIG_COMP_QUE_MASK = 0x0003;

/** Power-on values of the registers. */
export const RESET_CONFIG = 0x8583;
export const RESET_LO_THRESH = 0x8000;
export const RESET_HI_THRESH = 0x7fff;
export const RESET_CONVERSION = 0x0000;

/** Largest and smallest conversion codes: the result is clipped here at ±full scale. */
export const CODE_MAX = 0x7fff;
export const CODE_MIN = -0x8000;

/** The inputs, indexed by their MUX code (000..111). */
export const ADS1115_INPUTS = [
  'AIN0-AIN1',
  'AIN0-AIN3',
  'AIN1-AIN3',
  'AIN2-AIN3',
  'AIN0',
  'AIN1',
  'AIN2',
  'AIN3',
] as const;
export type Ads1115Input = (typeof ADS1115_INPUTS)[number];

export type AdcPin = 0 | 1 | 2 | 3;

/** Which pins an input measures: positive minus negative (undefined = GND). */
export function inputPins(input: Ads1115Input): { readonly positive: AdcPin; readonly negative?: AdcPin } {
  switch (input) {
    case 'AIN0-AIN1':
      return { positive: 0, negative: 1 };
    case 'AIN0-AIN3':
      return { positive: 0, negative: 3 };
    case 'AIN1-AIN3':
      return { positive: 1, negative: 3 };
    case 'AIN2-AIN3':
      return { positive: 2, negative: 3 };
    case 'AIN0':
      return { positive: 0 };
    case 'AIN1':
      return { positive: 1 };
    case 'AIN2':
      return { positive: 2 };
    case 'AIN3':
      return { positive: 3 };
  }
}

/** Full-scale ranges in volts, indexed by PGA code (110 and 111 also mean ±0.256 V). */
export const FULL_SCALES = [6.144, 4.096, 2.048, 1.024, 0.512, 0.256] as const;
export type FullScale = (typeof FULL_SCALES)[number];

/** Data rates in samples per second, indexed by DR code. */
export const DATA_RATES = [8, 16, 32, 64, 128, 250, 475, 860] as const;
export type DataRate = (typeof DATA_RATES)[number];

export const COMPARATOR_QUEUES = ['assert-after-1', 'assert-after-2', 'assert-after-4', 'disabled'] as const;
export type ComparatorQueue = (typeof COMPARATOR_QUEUES)[number];

export type Ads1115Mode = 'single-shot' | 'continuous';

/** The config register as named fields. */
export interface Ads1115Config {
  /** Write: true starts a single-shot conversion. Read: true = idle, false = converting. */
  readonly os: boolean;
  readonly input: Ads1115Input;
  readonly fullScale: FullScale;
  readonly mode: Ads1115Mode;
  readonly dataRate: DataRate;
  readonly comparatorMode: 'traditional' | 'window';
  readonly comparatorPolarity: 'active-low' | 'active-high';
  readonly comparatorLatching: boolean;
  readonly comparatorQueue: ComparatorQueue;
}

export function isAds1115Input(value: unknown): value is Ads1115Input {
  return (ADS1115_INPUTS as readonly unknown[]).includes(value);
}

export function isFullScale(value: unknown): value is FullScale {
  return (FULL_SCALES as readonly unknown[]).includes(value);
}

export function isDataRate(value: unknown): value is DataRate {
  return (DATA_RATES as readonly unknown[]).includes(value);
}

/** The fields of RESET_CONFIG; encodeConfig fills what it is not given from here. */
export const RESET_FIELDS: Ads1115Config = Object.freeze(decodeConfig(RESET_CONFIG));

/**
 * Builds a config word. Fields left out take their power-on value, so
 * `encodeConfig({ input: 'AIN0', fullScale: 4.096 })` is a single-shot start at
 * 128 SPS with the comparator off (0xC383). Throws RangeError on a value the
 * chip does not have — a programming or configuration error, not a bus fault.
 */
export function encodeConfig(fields: Partial<Ads1115Config>): number {
  const c: Ads1115Config = { ...RESET_FIELDS, ...fields };
  const mux = ADS1115_INPUTS.indexOf(c.input);
  const pga = FULL_SCALES.indexOf(c.fullScale);
  const dr = DATA_RATES.indexOf(c.dataRate);
  const que = COMPARATOR_QUEUES.indexOf(c.comparatorQueue);
  if (mux < 0) throw new RangeError(`ADS1115 has no input ${String(c.input)}`);
  if (pga < 0) throw new RangeError(`ADS1115 has no full-scale range ±${String(c.fullScale)} V`);
  if (dr < 0) throw new RangeError(`ADS1115 has no data rate ${String(c.dataRate)} SPS`);
  if (que < 0) throw new RangeError(`ADS1115 has no comparator queue ${String(c.comparatorQueue)}`);
  return (
    (c.os ? CONFIG_OS : 0) |
    (mux << CONFIG_MUX_SHIFT) |
    (pga << CONFIG_PGA_SHIFT) |
    (c.mode === 'single-shot' ? CONFIG_MODE : 0) |
    (dr << CONFIG_DR_SHIFT) |
    (c.comparatorMode === 'window' ? CONFIG_COMP_MODE : 0) |
    (c.comparatorPolarity === 'active-high' ? CONFIG_COMP_POL : 0) |
    (c.comparatorLatching ? CONFIG_COMP_LAT : 0) |
    que
  );
}

/** Reads a config word back into fields. Every 16-bit word decodes. */
export function decodeConfig(word: number): Ads1115Config {
  const pga = (word & CONFIG_PGA_MASK) >> CONFIG_PGA_SHIFT;
  return {
    os: (word & CONFIG_OS) !== 0,
    input: ADS1115_INPUTS[(word & CONFIG_MUX_MASK) >> CONFIG_MUX_SHIFT] ?? 'AIN0-AIN1',
    fullScale: FULL_SCALES[Math.min(pga, FULL_SCALES.length - 1)] ?? 0.256,
    mode: (word & CONFIG_MODE) !== 0 ? 'single-shot' : 'continuous',
    dataRate: DATA_RATES[(word & CONFIG_DR_MASK) >> CONFIG_DR_SHIFT] ?? 128,
    comparatorMode: (word & CONFIG_COMP_MODE) !== 0 ? 'window' : 'traditional',
    comparatorPolarity: (word & CONFIG_COMP_POL) !== 0 ? 'active-high' : 'active-low',
    comparatorLatching: (word & CONFIG_COMP_LAT) !== 0,
    comparatorQueue: COMPARATOR_QUEUES[word & CONFIG_COMP_QUE_MASK] ?? 'disabled',
  };
}

/** Nominal time of one conversion: 1/DR (the chip's oscillator may run up to 10% slow). */
export function conversionTimeMs(dataRate: DataRate): number {
  return 1000 / dataRate;
}

/** Volts for a signed conversion code: code × FSR / 32768. */
export function voltsFromCode(code: number, fullScale: FullScale): number {
  return (code * fullScale) / 32768;
}

/** The code the chip would report for `volts`, rounded and clipped to the PGA range. */
export function codeFromVolts(volts: number, fullScale: FullScale): number {
  const code = Math.round((volts * 32768) / fullScale);
  return Math.min(CODE_MAX, Math.max(CODE_MIN, code));
}

/** Two bytes, MSB first, as a signed 16-bit integer. */
export function int16FromBytes(msb: number, lsb: number): number {
  const word = ((msb & 0xff) << 8) | (lsb & 0xff);
  return word >= 0x8000 ? word - 0x10000 : word;
}

/** A 16-bit word (signed or unsigned) as two bytes, MSB first. */
export function bytesFromWord(word: number): [number, number] {
  const w = word & 0xffff;
  return [w >> 8, w & 0xff];
}
