/**
 * LPG concentration at the gas sniffer, from a first-order room model:
 *
 *   dE/dt = S·10⁶ / V − k·E,   C = background + E   (ppm)
 *
 * S is the leak's vapour flow (m³/h), V the volume the gas mixes into (m³), k the
 * air changes per hour. LPG is heavier than air and pools near the floor where the
 * sniffer sits, so V is the low layer of the kitchen, not the whole room: mixing
 * into the whole room would under-state what a floor-level sniffer sees several-fold.
 *
 * S and k are piecewise constant (leak events, ventilation changes), and between
 * their changes the equation is solved exactly (an exponential), never by Euler
 * steps: the result does not depend on the step size. Going backwards is ignored.
 */
import { MS_PER_HOUR, WindowedRate } from './daily-profile.js';
import type { PiecewiseRate } from './daily-profile.js';

/** Lower explosive limits in ppm (2.1% propane, 1.9% butane): use the lowest of the mix. */
export const PROPANE_LEL_PPM = 21_000;
export const BUTANE_LEL_PPM = 19_000;

/** Propane: gross calorific value ≈ 50.3 MJ/kg; vapour ≈ 1.88 kg/m³ at 15 °C. */
const PROPANE_MJ_PER_KG = 50.3;
const PROPANE_VAPOUR_KG_PER_M3 = 1.88;

/** Vapour flow of an unlit burner of `kilowatts` rating (gross), m³/h: 3 kW ≈ 0.11 m³/h. */
export function burnerGasM3PerHour(kilowatts: number): number {
  return (kilowatts * 3.6) / PROPANE_MJ_PER_KG / PROPANE_VAPOUR_KG_PER_M3;
}

export interface GasLeakEvent {
  readonly startMs: number;
  readonly durationMs: number;
  /** Vapour flow of the leak, m³/h. */
  readonly sourceM3PerHour: number;
}

/** From `atMs` on, the room's ventilation is `airChangesPerHour` (a window opened or closed). */
export interface VentilationChange {
  readonly atMs: number;
  readonly airChangesPerHour: number;
}

export interface GasLeakConfig {
  readonly startMs: number;
  /** Volume the gas mixes into, m³. Default 4 (the low half-metre of a 2.7 × 3 m kitchen). */
  readonly mixingVolumeM3?: number;
  /** Air changes per hour before any ventilation change. Default 0.5 (closed-up kitchen). */
  readonly airChangesPerHour?: number;
  /** Default 2 ppm. */
  readonly backgroundPpm?: number;
  readonly events?: readonly GasLeakEvent[];
  readonly ventilation?: readonly VentilationChange[];
  /** Default propane's. */
  readonly lelPpm?: number;
}

export interface GasLeakState {
  readonly timeMs: number;
  readonly ppm: number;
  readonly percentLel: number;
  readonly leaking: boolean;
  readonly airChangesPerHour: number;
}

/** Steps of air changes per hour; its `rateAt` is k in 1/h. */
class VentilationSchedule implements PiecewiseRate {
  readonly #base: number;
  readonly #changes: readonly VentilationChange[];

  constructor(base: number, changes: readonly VentilationChange[]) {
    for (const k of [base, ...changes.map((c) => c.airChangesPerHour)]) {
      if (!(Number.isFinite(k) && k >= 0)) throw new RangeError(`airChangesPerHour: must be >= 0, got ${k}`);
    }
    this.#base = base;
    this.#changes = [...changes].sort((a, b) => a.atMs - b.atMs);
  }

  rateAt(ms: number): number {
    let k = this.#base;
    for (const change of this.#changes) {
      if (change.atMs > ms) break;
      k = change.airChangesPerHour;
    }
    return k;
  }

  nextChangeAfter(ms: number): number {
    return this.#changes.find((c) => c.atMs > ms)?.atMs ?? Number.POSITIVE_INFINITY;
  }
}

export class GasLeakScenario {
  readonly mixingVolumeM3: number;
  readonly backgroundPpm: number;
  readonly lelPpm: number;
  readonly source: WindowedRate;
  readonly ventilation: PiecewiseRate;
  #timeMs: number;
  /** Concentration above background, ppm. */
  #excessPpm = 0;

  constructor(config: GasLeakConfig) {
    this.mixingVolumeM3 = config.mixingVolumeM3 ?? 4;
    if (!(this.mixingVolumeM3 > 0)) throw new RangeError('mixingVolumeM3: must be positive');
    this.backgroundPpm = config.backgroundPpm ?? 2;
    this.lelPpm = config.lelPpm ?? PROPANE_LEL_PPM;
    this.source = new WindowedRate(
      (config.events ?? []).map((e) => ({ fromMs: e.startMs, untilMs: e.startMs + e.durationMs, perHour: e.sourceM3PerHour })),
    );
    this.ventilation = new VentilationSchedule(config.airChangesPerHour ?? 0.5, config.ventilation ?? []);
    this.#timeMs = config.startMs;
  }

  get state(): GasLeakState {
    const ppm = this.backgroundPpm + this.#excessPpm;
    return {
      timeMs: this.#timeMs,
      ppm,
      percentLel: (100 * ppm) / this.lelPpm,
      leaking: this.source.activeAt(this.#timeMs),
      airChangesPerHour: this.ventilation.rateAt(this.#timeMs),
    };
  }

  /** advanceTo(nowMs), then the ppm: the shape a gas-sensor model takes. */
  ppmAt(nowMs: number): number {
    this.advanceTo(nowMs);
    return this.state.ppm;
  }

  advanceTo(nowMs: number): void {
    while (this.#timeMs < nowMs) {
      const t = this.#timeMs;
      const end = Math.min(nowMs, this.source.nextChangeAfter(t), this.ventilation.nextChangeAfter(t));
      const hours = (end - t) / MS_PER_HOUR;
      const inflowPpmPerHour = (this.source.rateAt(t) * 1e6) / this.mixingVolumeM3;
      const k = this.ventilation.rateAt(t);
      if (k === 0) {
        this.#excessPpm += inflowPpmPerHour * hours;
      } else {
        const steady = inflowPpmPerHour / k;
        this.#excessPpm = steady + (this.#excessPpm - steady) * Math.exp(-k * hours);
      }
      this.#timeMs = end;
    }
  }
}
