/**
 * The dial sender of a remote-ready (R3D) float gauge: a Hall sensor under the
 * dial reads the needle's magnet. There is no published range and the voltage
 * often FALLS as the level rises (one DIY build read 29000 empty / 6300 full on an
 * ADS1115 at ±2.048 V ≈ 1.81 V → 0.39 V), and the dial is not linear in volume.
 * Faults: a stuck needle, and a disconnected sender whose floating input reads
 * near 0 V or near the rail.
 *
 * Pure in time: voltsAt(fill, nowMs) depends only on its arguments, so it gives the
 * same reading however often and in whatever order it is asked.
 */
import { keyedNormal } from './keyed-random.js';

/** The sender's true response: calibrate a reader against these. */
export interface FloatGaugeMapping {
  /** Volts at 0% of fill. */
  readonly emptyVolts: number;
  /** Volts at 100% of fill (the 80%-of-water-capacity mark). */
  readonly fullVolts: number;
  /**
   * Bend of the dial, in (-1, 1): the needle sits at
   * f − k·sin(2πf)/(2π) of its sweep, so the ends stay put and the middle is off by
   * at most k/(2π) of the span. 0 = linear.
   */
  readonly nonLinearity: number;
}

/** The DIY build quoted in HARDWARE.md (ADS1115 ±2.048 V: 29000 → 1.812 V, 6300 → 0.394 V). */
export const DIY_R3D_MAPPING: FloatGaugeMapping = Object.freeze({
  emptyVolts: (29000 * 2.048) / 32768,
  fullVolts: (6300 * 2.048) / 32768,
  nonLinearity: 0.15,
});

export type FloatGaugeFault =
  /** The needle no longer follows the float; it stays at `atFraction` of fill. */
  | { readonly kind: 'stuck'; readonly fromMs: number; readonly untilMs?: number; readonly atFraction: number }
  /** The sender's wire is off: the ADC input floats towards ground or the rail. */
  | {
      readonly kind: 'disconnected';
      readonly fromMs: number;
      readonly untilMs?: number;
      readonly floatsTo: 'ground' | 'rail';
    };

export interface FloatGaugeConfig extends Partial<FloatGaugeMapping> {
  readonly seed?: number;
  /** Standard deviation of the reading noise. Default 2 mV. */
  readonly noiseVolts?: number;
  /** Supply rail the sender and a floating input can reach. Default 3.3 V. */
  readonly railVolts?: number;
  readonly faults?: readonly FloatGaugeFault[];
}

/** Where the needle sits along its sweep (0–1) for a fill fraction (clamped to 0–1). */
export function needlePosition(fillFraction: number, nonLinearity: number): number {
  const f = Math.min(1, Math.max(0, fillFraction));
  if (f === 0 || f === 1) return f; // sin(2π) is not exactly 0 in floating point
  return f - (nonLinearity * Math.sin(2 * Math.PI * f)) / (2 * Math.PI);
}

/** The noiseless sender voltage for a fill fraction. */
export function trueSenderVolts(fillFraction: number, mapping: FloatGaugeMapping): number {
  const p = needlePosition(fillFraction, mapping.nonLinearity);
  return mapping.emptyVolts * (1 - p) + mapping.fullVolts * p; // exact at both ends
}

/** The fill fraction a noiseless voltage stands for (the inverse of trueSenderVolts), clamped to 0–1. */
export function fillFractionForVolts(volts: number, mapping: FloatGaugeMapping): number {
  const span = mapping.fullVolts - mapping.emptyVolts;
  const target = (volts - mapping.emptyVolts) / span; // needle position
  if (target <= 0) return 0;
  if (target >= 1) return 1;
  // needlePosition is strictly increasing for |k| < 1: bisect.
  let lo = 0;
  let hi = 1;
  for (let i = 0; i < 60; i++) {
    const mid = (lo + hi) / 2;
    if (needlePosition(mid, mapping.nonLinearity) < target) lo = mid;
    else hi = mid;
  }
  return (lo + hi) / 2;
}

export class FloatGaugeSender {
  readonly mapping: FloatGaugeMapping;
  readonly noiseVolts: number;
  readonly railVolts: number;
  readonly #seed: number;
  readonly #faults: FloatGaugeFault[];

  constructor(config: FloatGaugeConfig = {}) {
    this.mapping = {
      emptyVolts: config.emptyVolts ?? DIY_R3D_MAPPING.emptyVolts,
      fullVolts: config.fullVolts ?? DIY_R3D_MAPPING.fullVolts,
      nonLinearity: config.nonLinearity ?? DIY_R3D_MAPPING.nonLinearity,
    };
    if (!(Math.abs(this.mapping.nonLinearity) < 1)) {
      throw new RangeError(`nonLinearity: must be within (-1, 1) to keep the dial monotonic, got ${this.mapping.nonLinearity}`);
    }
    if (this.mapping.emptyVolts === this.mapping.fullVolts) throw new RangeError('emptyVolts and fullVolts must differ');
    this.noiseVolts = config.noiseVolts ?? 0.002;
    this.railVolts = config.railVolts ?? 3.3;
    this.#seed = config.seed ?? 1;
    this.#faults = [...(config.faults ?? [])];
  }

  /** Adds a fault from its `fromMs` on (e.g. injected by a demo or a test). */
  addFault(fault: FloatGaugeFault): void {
    this.#faults.push(fault);
  }

  /** The fault in effect at `nowMs`, the latest added winning; null when healthy. */
  faultAt(nowMs: number): FloatGaugeFault | null {
    for (let i = this.#faults.length - 1; i >= 0; i--) {
      const fault = this.#faults[i];
      if (fault !== undefined && nowMs >= fault.fromMs && nowMs < (fault.untilMs ?? Number.POSITIVE_INFINITY)) {
        return fault;
      }
    }
    return null;
  }

  /** The voltage at the ADC pin for a fill fraction (0–1) at `nowMs`. */
  voltsAt(fillFraction: number, nowMs: number): number {
    // Noise is keyed on the millisecond, so a reading never depends on call order.
    const noise = keyedNormal(this.#seed, Math.floor(nowMs));
    const fault = this.faultAt(nowMs);
    let volts: number;
    if (fault?.kind === 'disconnected') {
      const offset = 0.003 + Math.abs(noise) * 0.01; // a floating input wanders a little
      volts = fault.floatsTo === 'ground' ? offset : this.railVolts - offset;
    } else {
      const fraction = fault?.kind === 'stuck' ? fault.atFraction : fillFraction;
      volts = trueSenderVolts(fraction, this.mapping) + noise * this.noiseVolts;
    }
    return Math.min(this.railVolts, Math.max(0, volts));
  }
}
