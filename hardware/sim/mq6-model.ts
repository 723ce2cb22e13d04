import {
  CLEAN_AIR_RATIO,
  LPG_CURVE,
  ratioFromPpm,
  voutFromRs,
  type Mq6Curve,
} from '../drivers/mq6-curve.js';

/**
 * The MQ-6's physics run forwards for the simulator: LPG concentration in the air
 * → sensor resistance → voltage at the ADC pin, including the cold-start dip that
 * makes an unheated sensor read falsely high.
 */

export interface Mq6ModelOptions {
  /** LPG above clean air, in ppm, at monotonic time `nowMs` (the world model). */
  readonly ppm: (nowMs: number) => number;
  /** This simulated sensor's R0 (Rs at 1000 ppm LPG), the value calibration should recover. */
  readonly r0Ohms: number;
  readonly supplyVolts?: number;
  readonly loadOhms?: number;
  /** ADC volts = sensor Vout / dividerRatio. */
  readonly dividerRatio?: number;
  readonly curve?: Mq6Curve;
  /** Rs/R0 in clean air: the ratio never rises above it, however little gas. */
  readonly cleanAirRatio?: number;
  /** Monotonic ms when the heater was switched on. */
  readonly poweredOnAt?: number;
  /** Time constant of the rise of Rs after power-on. */
  readonly warmupTauMs?: number;
  /** Rs of a cold sensor as a fraction of its warm value (far low = a false high reading). */
  readonly coldRsFactor?: number;
}

export class Mq6Model {
  readonly r0Ohms: number;
  readonly #ppm: (nowMs: number) => number;
  readonly #supplyVolts: number;
  readonly #loadOhms: number;
  readonly #dividerRatio: number;
  readonly #curve: Mq6Curve;
  readonly #cleanAirRatio: number;
  readonly #warmupTauMs: number;
  readonly #coldRsFactor: number;
  #poweredOnAt: number;

  constructor(options: Mq6ModelOptions) {
    this.r0Ohms = options.r0Ohms;
    this.#ppm = options.ppm;
    this.#supplyVolts = options.supplyVolts ?? 5.0;
    this.#loadOhms = options.loadOhms ?? 20_000;
    this.#dividerRatio = options.dividerRatio ?? 1;
    this.#curve = options.curve ?? LPG_CURVE;
    this.#cleanAirRatio = options.cleanAirRatio ?? CLEAN_AIR_RATIO;
    this.#poweredOnAt = options.poweredOnAt ?? 0;
    this.#warmupTauMs = options.warmupTauMs ?? 60_000;
    this.#coldRsFactor = options.coldRsFactor ?? 0.05;
  }

  /** The heater goes off and on again at `atMs`: the sensor starts cold. */
  powerOn(atMs: number): void {
    this.#poweredOnAt = atMs;
  }

  /** Rs/R0 of a fully warmed sensor in the present air. */
  settledRatio(nowMs: number): number {
    const ppm = this.#ppm(nowMs);
    if (!(ppm > 0)) return this.#cleanAirRatio;
    return Math.min(this.#cleanAirRatio, ratioFromPpm(ppm, this.#curve));
  }

  /**
   * Rs including warm-up: it starts at coldRsFactor × its settled value and rises
   * exponentially (in log terms) with time constant warmupTauMs.
   */
  rsOhms(nowMs: number): number {
    const sincePowerOn = Math.max(0, nowMs - this.#poweredOnAt);
    const warmth = Math.pow(this.#coldRsFactor, Math.exp(-sincePowerOn / this.#warmupTauMs));
    return this.settledRatio(nowMs) * this.r0Ohms * warmth;
  }

  /** Vout at the sensor board's AO pin. */
  sensorVolts(nowMs: number): number {
    return voutFromRs(this.rsOhms(nowMs), { supplyVolts: this.#supplyVolts, loadOhms: this.#loadOhms });
  }

  /** Volts at the ADC pin: use as (part of) an Ads1115Sim pin source. */
  readonly adcVolts = (nowMs: number): number => this.sensorVolts(nowMs) / this.#dividerRatio;
}
