import { sleep, type Clock } from '../clock.js';
import { OutcomeCounter, failed, ok, type OutcomeCounts, type Result } from '../fault.js';
import type { Ads1115, Ads1115Sample } from './ads1115.js';
import type { Ads1115Input, DataRate, FullScale } from './ads1115-registers.js';
import {
  LPG_CURVE,
  lelPercent,
  lowestLelPercent,
  ppmFromRatio,
  r0FromCleanAir,
  rsFromVout,
  type GasMix,
  type Mq6Curve,
} from './mq6-curve.js';

/**
 * An MQ-6 LPG sniffer read through an ADS1115 input. Supplementary only: it is not a
 * listed gas alarm (UL 1484 / EN 50194), and during warm-up its readings are flagged
 * so nothing alarms or clears on them.
 */

export interface Mq6Options {
  readonly adc: Ads1115;
  readonly input: Ads1115Input;
  readonly fullScale?: FullScale;
  readonly dataRate?: DataRate;
  /** Vc across sensor and load resistor. */
  readonly supplyVolts?: number;
  /** RL on the breakout board (20 kΩ on the datasheet; many boards fit 1 kΩ–10 kΩ). */
  readonly loadOhms?: number;
  /** Sensor Vout = ADC volts × this, when a divider brings 5 V down for a 3.3 V ADC. */
  readonly dividerRatio?: number;
  /** Rs at 1000 ppm LPG, from calibrateCleanAir (persisted by the caller). */
  readonly r0Ohms: number;
  readonly curve?: Mq6Curve;
  readonly gasMix: GasMix;
  /** Readings taken sooner than this after power-on are flagged warmingUp. */
  readonly warmupMs?: number;
  readonly clock: Clock;
  /** Monotonic ms when the heater was powered; default: when this object is built. */
  readonly poweredOnAt?: number;
}

export interface Mq6Reading {
  /** At the ADC input. */
  readonly volts: number;
  /** At the sensor's output, before any divider. */
  readonly sensorVolts: number;
  readonly rsOhms: number;
  /** Rs/R0. */
  readonly ratio: number;
  readonly ppm: number;
  readonly lelPercent: number;
  /** Taken during warm-up: a cold sensor reads falsely high. Never alarm or clear on it. */
  readonly warmingUp: boolean;
  /**
   * The gas is beyond what this circuit can measure (the ADC clipped high, or the output
   * reached the supply): ppm and lelPercent are then a lower bound (Infinity at the supply).
   * The worst case of a leak, not a broken sensor.
   */
  readonly aboveRange: boolean;
}

export interface Mq6Calibration {
  readonly r0Ohms: number;
  /** Mean Rs in clean air. */
  readonly rsOhms: number;
  readonly samples: number;
}

function positive(name: string, value: number): number {
  if (!(Number.isFinite(value) && value > 0)) throw new RangeError(`MQ-6 ${name} must be a positive number, got ${value}`);
  return value;
}

export class Mq6Sensor {
  readonly #adc: Ads1115;
  readonly #input: Ads1115Input;
  readonly #fullScale: FullScale | undefined;
  readonly #dataRate: DataRate | undefined;
  readonly #supplyVolts: number;
  readonly #loadOhms: number;
  readonly #dividerRatio: number;
  readonly #r0Ohms: number;
  readonly #curve: Mq6Curve;
  readonly #gasMix: GasMix;
  readonly #warmupMs: number;
  readonly #clock: Clock;
  readonly #poweredOnAt: number;
  readonly #counter = new OutcomeCounter();

  constructor(options: Mq6Options) {
    this.#adc = options.adc;
    this.#input = options.input;
    this.#fullScale = options.fullScale;
    this.#dataRate = options.dataRate;
    this.#supplyVolts = positive('supplyVolts', options.supplyVolts ?? 5.0);
    this.#loadOhms = positive('loadOhms', options.loadOhms ?? 20_000);
    this.#dividerRatio = positive('dividerRatio', options.dividerRatio ?? 1);
    this.#r0Ohms = positive('r0Ohms', options.r0Ohms);
    this.#curve = options.curve ?? LPG_CURVE;
    lowestLelPercent(options.gasMix); // throws on a mix with no gas, at configuration time
    this.#gasMix = options.gasMix;
    this.#warmupMs = options.warmupMs ?? 180_000;
    if (!(this.#warmupMs >= 0)) throw new RangeError(`MQ-6 warmupMs must be ≥ 0, got ${this.#warmupMs}`);
    this.#clock = options.clock;
    this.#poweredOnAt = options.poweredOnAt ?? options.clock.monotonic();
  }

  /** True until warmupMs have passed since power-on. */
  get warmingUp(): boolean {
    return this.#warmupLeftMs() > 0;
  }

  /**
   * One reading. A warming-up reading is returned, flagged; so is one above the range
   * (a lower bound). The 0 V rail or a negative clip is a Fault: no gas reads as 0 V only
   * when the heater or the wire is dead.
   */
  async read(): Promise<Result<Mq6Reading>> {
    const sample = await this.#readRs();
    if (!sample.ok) return this.#counter.record(sample);
    const { volts, sensorVolts, rsOhms, aboveRange } = sample.value;
    const ratio = rsOhms / this.#r0Ohms;
    const ppm = ppmFromRatio(ratio, this.#curve);
    return this.#counter.record(
      ok({
        volts,
        sensorVolts,
        rsOhms,
        ratio,
        ppm,
        lelPercent: lelPercent(ppm, this.#gasMix),
        warmingUp: this.warmingUp,
        aboveRange,
      }),
    );
  }

  /**
   * Averages Rs over `samples` reads in clean air and returns R0 = Rs / 10 for the
   * caller to persist. Refused while warming up; any failed read aborts it.
   */
  async calibrateCleanAir(samples: number, options: { intervalMs?: number } = {}): Promise<Result<Mq6Calibration>> {
    if (!(Number.isInteger(samples) && samples >= 1)) {
      throw new RangeError(`MQ-6 calibration needs a whole number of samples ≥ 1, got ${samples}`);
    }
    const left = this.#warmupLeftMs();
    if (left > 0) {
      return failed({
        code: 'suspect',
        message: `MQ-6 on ${this.#adc.where} ${this.#input} is still warming up (${Math.ceil(left / 1000)} s left): a cold sensor reads low resistance`,
        hint: 'Calibrate after the warm-up, in clean outdoor-like air, away from any gas.',
      });
    }
    let sum = 0;
    for (let i = 0; i < samples; i++) {
      if (i > 0 && options.intervalMs !== undefined && options.intervalMs > 0) {
        await sleep(this.#clock, options.intervalMs);
      }
      const sample = await this.#readRs();
      if (!sample.ok) return sample;
      if (sample.value.aboveRange) {
        return failed({
          code: 'out_of_range',
          message: `MQ-6 on ${this.#adc.where} ${this.#input} reads gas above its range: this is not clean air`,
          hint: 'Calibrate in clean outdoor-like air, away from any gas.',
        });
      }
      sum += sample.value.rsOhms;
    }
    const rsOhms = sum / samples;
    return ok({ r0Ohms: r0FromCleanAir(rsOhms), rsOhms, samples });
  }

  counts(): OutcomeCounts {
    return this.#counter.snapshot();
  }

  #warmupLeftMs(): number {
    return this.#poweredOnAt + this.#warmupMs - this.#clock.monotonic();
  }

  /**
   * ADC sample → sensor volts → Rs. More gas means a lower Rs and a higher output, so a
   * high clip or the supply rail is gas above the range (Rs reported as the bound, 0 at the
   * supply); the 0 V rail or a negative clip is a fault.
   */
  async #readRs(): Promise<Result<{ volts: number; sensorVolts: number; rsOhms: number; aboveRange: boolean }>> {
    const read = await this.#adc.readSingleShot({
      input: this.#input,
      ...(this.#fullScale !== undefined && { fullScale: this.#fullScale }),
      ...(this.#dataRate !== undefined && { dataRate: this.#dataRate }),
    });
    if (!read.ok) return read;
    const sample: Ads1115Sample = read.value;
    if (sample.clipped && sample.volts < 0) {
      return failed({
        code: 'out_of_range',
        message: `MQ-6 on ${this.#adc.where} ${this.#input}: ADC clipped at -${sample.fullScale} V (${sample.volts.toFixed(3)} V)`,
        hint: 'A sensor output cannot be negative: check the wiring to the ADC input and its ground.',
      });
    }
    const sensorVolts = sample.volts * this.#dividerRatio;
    if (!(sensorVolts > 0)) {
      return failed({
        code: 'out_of_range',
        message:
          `MQ-6 on ${this.#adc.where} ${this.#input}: sensor output at the 0 V rail: check the heater supply and the divider ` +
          `(${sensorVolts.toFixed(3)} V)`,
        hint: 'Check the sensor board is powered (heater 5 V), its AO wire to the ADC, and the dividerRatio/supplyVolts settings.',
      });
    }
    const atSupply = sensorVolts >= this.#supplyVolts;
    const rsOhms = atSupply ? 0 : rsFromVout(sensorVolts, { supplyVolts: this.#supplyVolts, loadOhms: this.#loadOhms });
    return ok({ volts: sample.volts, sensorVolts, rsOhms, aboveRange: sample.clipped || atSupply });
  }
}
