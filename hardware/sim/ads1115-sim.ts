import type { Clock } from '../clock.js';
import {
  CONFIG_MODE,
  CONFIG_OS,
  REG_CONFIG,
  REG_CONVERSION,
  REG_HI_THRESH,
  REG_LO_THRESH,
  RESET_CONFIG,
  RESET_CONVERSION,
  RESET_HI_THRESH,
  RESET_LO_THRESH,
  bytesFromWord,
  codeFromVolts,
  conversionTimeMs,
  decodeConfig,
  inputPins,
  type AdcPin,
  type RegisterPointer,
} from '../drivers/ads1115-registers.js';
import type { SimI2cDevice } from './sim-i2c-bus.js';

/**
 * A register-level ADS1115: the same pointer/register protocol, conversion timing
 * and clipping as the chip, with the analog world supplied as a function. The
 * driver cannot tell it from the real part, which is what makes --simulate honest.
 */

/** Volts at AINx against GND at monotonic time `nowMs`. The caller owns the world model. */
export type PinSource = (pin: AdcPin, nowMs: number) => number;

/** A pin source from per-pin signals; pins not named are tied to GND (0 V). */
export function pinsFrom(signals: Readonly<Partial<Record<AdcPin, (nowMs: number) => number>>>): PinSource {
  return (pin, nowMs) => signals[pin]?.(nowMs) ?? 0;
}

export interface Ads1115SimOptions {
  readonly clock: Clock;
  readonly pins: PinSource;
  /** Supply voltage: inputs are clamped to GND − 0.3 V … VDD + 0.3 V by the ESD diodes. */
  readonly vdd?: number;
  /** Multiplies every conversion time: > 1 is a slow chip, for timeout tests. */
  readonly conversionScale?: number;
  /** A chip whose conversion never finishes (config reads OS = 0 for ever). */
  readonly stuckBusy?: boolean;
}

/** Inputs beyond the supply rails are clamped by the input protection diodes. */
const DIODE_DROP = 0.3;

interface SingleShot {
  readonly config: number;
  readonly due: number;
}

interface Continuous {
  readonly since: number;
  completed: number;
}

export class Ads1115Sim implements SimI2cDevice {
  readonly vdd: number;
  /** Multiplies conversion times from the next conversion on. */
  conversionScale: number;
  /** While true, conversions in progress never finish. */
  stuckBusy: boolean;

  readonly #clock: Clock;
  #pins: PinSource;
  #pointer: RegisterPointer = REG_CONVERSION;
  /** Config as last written, with OS cleared: OS is status, computed on read. */
  #config = RESET_CONFIG & ~CONFIG_OS;
  #loThresh = RESET_LO_THRESH;
  #hiThresh = RESET_HI_THRESH;
  #conversion = RESET_CONVERSION;
  #conversions = 0;
  #singleShot: SingleShot | undefined;
  #continuous: Continuous | undefined;

  constructor(options: Ads1115SimOptions) {
    this.#clock = options.clock;
    this.#pins = options.pins;
    this.vdd = options.vdd ?? 3.3;
    this.conversionScale = options.conversionScale ?? 1.0;
    this.stuckBusy = options.stuckBusy ?? false;
  }

  /** Replaces the analog world (e.g. to plug a different sensor in). */
  setPins(pins: PinSource): void {
    this.#pins = pins;
  }

  /** Conversions completed since power-on. */
  get conversions(): number {
    this.#update();
    return this.#conversions;
  }

  /** Registers back to their power-on values, as after a brown-out. */
  powerCycle(): void {
    this.#pointer = REG_CONVERSION;
    this.#config = RESET_CONFIG & ~CONFIG_OS;
    this.#loThresh = RESET_LO_THRESH;
    this.#hiThresh = RESET_HI_THRESH;
    this.#conversion = RESET_CONVERSION;
    this.#singleShot = undefined;
    this.#continuous = undefined;
  }

  write(bytes: Uint8Array): void {
    this.#update();
    const pointer = bytes[0];
    if (pointer === undefined) return;
    // Bits 7:2 of the pointer byte must be 0; the chip only looks at 1:0.
    this.#pointer = (pointer & 0x03) as RegisterPointer;
    const msb = bytes[1];
    const lsb = bytes[2];
    // A register is written only by a full 16-bit word.
    if (msb === undefined || lsb === undefined) return;
    const word = (msb << 8) | lsb;
    switch (this.#pointer) {
      case REG_CONVERSION:
        return; // read-only
      case REG_CONFIG:
        this.#writeConfig(word);
        return;
      case REG_LO_THRESH:
        this.#loThresh = word;
        return;
      case REG_HI_THRESH:
        this.#hiThresh = word;
        return;
    }
  }

  /** The register at the pointer, MSB first; longer reads repeat it. */
  read(length: number): Uint8Array {
    this.#update();
    const [msb, lsb] = bytesFromWord(this.#register(this.#pointer));
    const out = new Uint8Array(length);
    for (let i = 0; i < length; i++) out[i] = i % 2 === 0 ? msb : lsb;
    return out;
  }

  #register(pointer: RegisterPointer): number {
    switch (pointer) {
      case REG_CONVERSION:
        return this.#conversion & 0xffff;
      case REG_CONFIG:
        return this.#config | (this.#isConverting() ? 0 : CONFIG_OS);
      case REG_LO_THRESH:
        return this.#loThresh;
      case REG_HI_THRESH:
        return this.#hiThresh;
    }
  }

  #isConverting(): boolean {
    return this.#singleShot !== undefined || this.#continuous !== undefined;
  }

  #writeConfig(word: number): void {
    const now = this.#clock.monotonic();
    this.#config = word & ~CONFIG_OS;
    if ((word & CONFIG_MODE) === 0) {
      // Continuous mode: converts back to back from now on, with the new settings.
      this.#singleShot = undefined;
      this.#continuous = { since: now, completed: 0 };
      return;
    }
    this.#continuous = undefined;
    // OS = 1 starts a conversion only from power-down; during one it is ignored.
    if ((word & CONFIG_OS) !== 0 && this.#singleShot === undefined) {
      this.#singleShot = { config: word, due: now + this.#periodMs(word) };
    }
  }

  #periodMs(config: number): number {
    return conversionTimeMs(decodeConfig(config).dataRate) * this.conversionScale;
  }

  /** Brings the conversion state up to the clock's present. */
  #update(): void {
    if (this.stuckBusy) return;
    const now = this.#clock.monotonic();
    const shot = this.#singleShot;
    if (shot !== undefined && now >= shot.due) {
      this.#conversion = this.#convert(shot.config, shot.due);
      this.#conversions++;
      this.#singleShot = undefined;
    }
    const run = this.#continuous;
    if (run !== undefined) {
      const period = this.#periodMs(this.#config);
      const completed = Math.floor((now - run.since) / period);
      if (completed > run.completed) {
        this.#conversion = this.#convert(this.#config, run.since + completed * period);
        this.#conversions += completed - run.completed;
        run.completed = completed;
      }
    }
  }

  /** The code for `config`'s input and range, sampled at `atMs`. */
  #convert(config: number, atMs: number): number {
    const { input, fullScale } = decodeConfig(config);
    const { positive, negative } = inputPins(input);
    const volts = this.#pinVolts(positive, atMs) - (negative === undefined ? 0 : this.#pinVolts(negative, atMs));
    return codeFromVolts(volts, fullScale);
  }

  #pinVolts(pin: AdcPin, atMs: number): number {
    const volts = this.#pins(pin, atMs);
    if (!Number.isFinite(volts)) throw new RangeError(`ADS1115 simulator: the pin source gave ${volts} V for AIN${pin}`);
    return Math.min(this.vdd + DIODE_DROP, Math.max(-DIODE_DROP, volts));
  }
}
