import { sleep, type Clock } from '../clock.js';
import { OutcomeCounter, failed, ok, type Fault, type OutcomeCounts, type Result } from '../fault.js';
import { describeTarget, faultFromIoError } from '../io-error.js';
import type { I2cBus, I2cTransfer } from '../ports/i2c.js';
import {
  ADS1115_INPUTS,
  CODE_MAX,
  CODE_MIN,
  CONFIG_OS,
  DATA_RATES,
  FULL_SCALES,
  REG_CONFIG,
  REG_CONVERSION,
  conversionTimeMs,
  encodeConfig,
  int16FromBytes,
  isAds1115Input,
  isDataRate,
  isFullScale,
  voltsFromCode,
  type Ads1115Input,
  type DataRate,
  type FullScale,
} from './ads1115-registers.js';

/**
 * TI ADS1115 16-bit ADC over I2C, single-shot conversions (HARDWARE.md "ADS1115").
 * Plain I2C transfers, MSB first — never SMBus word calls, which are little-endian.
 */

export interface Ads1115Options {
  readonly bus: I2cBus;
  /** 7-bit address: 0x48 (ADDR to GND), 0x49 (VDD), 0x4A (SDA), 0x4B (SCL). */
  readonly address: number;
  readonly clock: Clock;
  /**
   * How long a conversion may take before the read fails with 'timeout'.
   * Default: 2 × the conversion time + 10 ms (the chip's clock may be 10% slow).
   */
  readonly timeoutMs?: number;
}

export interface Ads1115ReadOptions {
  readonly input: Ads1115Input;
  /** ±volts of the PGA range; default 4.096. */
  readonly fullScale?: FullScale;
  /** Samples per second; default 128 (7.8 ms per conversion). */
  readonly dataRate?: DataRate;
}

export interface Ads1115Sample {
  readonly volts: number;
  /** The signed 16-bit conversion result. */
  readonly code: number;
  /** The code sits at ±full scale: the true input may be beyond it. */
  readonly clipped: boolean;
  readonly input: Ads1115Input;
  readonly fullScale: FullScale;
}

/** Fixed slack on top of the doubled conversion time (scheduling, bus latency). */
const TIMEOUT_ALLOWANCE_MS = 10;
/** First pause between "still busy" polls; doubles up to a tenth of the conversion time. */
const FIRST_POLL_BACKOFF_MS = 1;

/** Config bits the chip must read back as written (everything but OS). */
const CONFIG_SETTINGS_MASK = 0xffff & ~CONFIG_OS;

export class Ads1115 {
  readonly address: number;
  readonly #bus: I2cBus;
  readonly #clock: Clock;
  readonly #timeoutMs: number | undefined;
  readonly #counter = new OutcomeCounter();

  constructor(options: Ads1115Options) {
    if (!Number.isInteger(options.address) || options.address < 0 || options.address > 0x7f) {
      throw new RangeError(`ADS1115 address must be a 7-bit I2C address, got ${options.address}`);
    }
    if (options.timeoutMs !== undefined && !(options.timeoutMs > 0)) {
      throw new RangeError(`ADS1115 timeoutMs must be positive, got ${options.timeoutMs}`);
    }
    this.address = options.address;
    this.#bus = options.bus;
    this.#clock = options.clock;
    this.#timeoutMs = options.timeoutMs;
  }

  /** "/dev/i2c-1 address 0x48", for messages. */
  get where(): string {
    return describeTarget({ kind: 'i2c', device: this.#bus.device, address: this.address });
  }

  /**
   * One single-shot conversion: start, wait, poll until done, read the result.
   * The whole sequence holds the bus, so two channels of one chip never interleave.
   * Never throws: bus errors, timeouts and bad options come back as a Fault.
   */
  async readSingleShot(options: Ads1115ReadOptions): Promise<Result<Ads1115Sample>> {
    const { input, fullScale = 4.096, dataRate = 128 } = options;
    const invalid = this.#checkOptions(input, fullScale, dataRate);
    if (invalid !== undefined) return this.#counter.record(failed(invalid));
    const config = encodeConfig({ os: true, input, fullScale, mode: 'single-shot', dataRate });
    const conversionMs = conversionTimeMs(dataRate);
    const timeoutMs = this.#timeoutMs ?? 2 * conversionMs + TIMEOUT_ALLOWANCE_MS;
    const result = await this.#guarded(async (io) => {
      await io.write(this.address, Uint8Array.of(REG_CONFIG, config >> 8, config & 0xff));
      const deadline = this.#clock.monotonic() + timeoutMs;
      await sleep(this.#clock, Math.min(conversionMs, timeoutMs));
      const done = await this.#pollUntilIdle(io, deadline, conversionMs);
      if (!done.ok) return done;
      // A chip that was reset (brown-out) or is not an ADS1115 shows other settings, and
      // its conversion register would pass for a real 0 V: refuse it.
      if ((done.value & CONFIG_SETTINGS_MASK) !== (config & CONFIG_SETTINGS_MASK)) {
        return failed<number>({
          code: 'suspect',
          message:
            `ADS1115 at ${this.where} reads config ${word(done.value)} after ${word(config)} was written ` +
            '(reset by a power glitch, or another device at this address)',
          hint: 'Check the ADS1115 supply (3.3 V, GND) and that nothing else answers at this address (`i2cdetect -y 1`).',
        });
      }
      return ok(await this.#readRegister(io, REG_CONVERSION));
    });
    if (!result.ok) return this.#counter.record(result);
    const code = int16FromBytes(result.value >> 8, result.value & 0xff);
    return this.#counter.record(
      ok({
        volts: voltsFromCode(code, fullScale),
        code,
        clipped: code === CODE_MAX || code === CODE_MIN,
        input,
        fullScale,
      }),
    );
  }

  /** Reads the config register: proves a device answers at the address (`easygas doctor`). */
  async probe(): Promise<Result<{ config: number }>> {
    const result = await this.#guarded(async (io) => ok(await this.#readRegister(io, REG_CONFIG)));
    return this.#counter.record(result.ok ? ok({ config: result.value }) : result);
  }

  /** Outcomes of every read and probe so far. */
  counts(): OutcomeCounts {
    return this.#counter.snapshot();
  }

  /** Polls OS (bit 15) until the chip is idle; returns the config word it read. */
  async #pollUntilIdle(io: I2cTransfer, deadline: number, conversionMs: number): Promise<Result<number>> {
    const maxBackoff = Math.max(FIRST_POLL_BACKOFF_MS, conversionMs / 10);
    let backoff = FIRST_POLL_BACKOFF_MS;
    for (;;) {
      const askedAt = this.#clock.monotonic();
      const config = await this.#readRegister(io, REG_CONFIG);
      if ((config & CONFIG_OS) !== 0) return ok(config);
      // Judged by when the chip was asked, not when its answer was handled: a stall of this
      // process in between (a busy CPU; at 60× time-lapse, a fraction of a real ms) is not the chip's.
      if (askedAt >= deadline) {
        return failed({
          code: 'timeout',
          message: `ADS1115 at ${this.where} still converting after ${round(conversionMs)} ms + allowance (config ${word(config)})`,
          hint: 'The chip answers but never finishes: check its supply voltage, or power-cycle it.',
        });
      }
      // At or past the deadline already: ask once more, now, before giving up.
      await sleep(this.#clock, Math.max(0, Math.min(backoff, deadline - this.#clock.monotonic())));
      backoff = Math.min(backoff * 2, maxBackoff);
    }
  }

  /** Pointer write, then a 2-byte read, MSB first. */
  async #readRegister(io: I2cTransfer, pointer: number): Promise<number> {
    await io.write(this.address, Uint8Array.of(pointer));
    const bytes = await io.read(this.address, 2);
    const [msb, lsb] = bytes;
    if (msb === undefined || lsb === undefined) {
      throw Object.assign(new Error(`short read: ${bytes.length} of 2 bytes`), { code: 'EIO' });
    }
    return (msb << 8) | lsb;
  }

  /** Runs `fn` as one bus transaction; any error thrown on the bus becomes a Fault. */
  async #guarded<T>(fn: (io: I2cTransfer) => Promise<Result<T>>): Promise<Result<T>> {
    try {
      return await this.#bus.transaction(fn);
    } catch (err) {
      return failed(faultFromIoError(err, { kind: 'i2c', device: this.#bus.device, address: this.address }));
    }
  }

  #checkOptions(input: unknown, fullScale: unknown, dataRate: unknown): Fault | undefined {
    const hint = (what: string, allowed: readonly unknown[]): Fault => ({
      code: 'out_of_range',
      message: `ADS1115 at ${this.where}: ${what}`,
      hint: `Use one of: ${allowed.join(', ')}.`,
    });
    if (!isAds1115Input(input)) return hint(`no input ${String(input)}`, ADS1115_INPUTS);
    if (!isFullScale(fullScale)) return hint(`no full-scale range ±${String(fullScale)} V`, FULL_SCALES);
    if (!isDataRate(dataRate)) return hint(`no data rate ${String(dataRate)} SPS`, DATA_RATES);
    return undefined;
  }
}

function word(value: number): string {
  return `0x${value.toString(16).toUpperCase().padStart(4, '0')}`;
}

function round(ms: number): number {
  return Math.round(ms * 10) / 10;
}
