/**
 * A household LPG cylinder: cooking peaks every day, evening heating in cold
 * months, a little day-to-day variation, and refills that arrive some time after
 * the level drops below a threshold (or on a scheduled swap). When a delivery is
 * late the cylinder runs empty, and the gateway must then alarm low level.
 *
 * advanceTo() solves every threshold crossing exactly, so the state is the same
 * whatever the step size. Going backwards in time is ignored (the state stays at
 * the latest instant seen): several readers may poll the same world.
 */
import { DailyProfile, MS_PER_DAY, MS_PER_HOUR, localTime } from './daily-profile.js';
import type { DailyProfileSpec, PiecewiseRate } from './daily-profile.js';
import { keyedNormal } from './keyed-random.js';

/** Liquid propane at 15 °C; butane-rich mixes (India) are nearer 0.55–0.57 kg/L. */
export const PROPANE_LIQUID_KG_PER_LITRE = 0.51;

/** A moderate family's cooking, kg of LPG per hour: about 0.39 kg a weekday, 0.55 a weekend day. */
export const DEFAULT_COOKING_KG_PER_HOUR: DailyProfileSpec = {
  weekday: [
    { fromHour: 0, perHour: 0 },
    { fromHour: 6.5, perHour: 0.08 }, // breakfast
    { fromHour: 7.5, perHour: 0 },
    { fromHour: 12, perHour: 0.1 }, // lunch
    { fromHour: 13, perHour: 0 },
    { fromHour: 18, perHour: 0.14 }, // dinner
    { fromHour: 19.5, perHour: 0 },
  ],
  weekend: [
    { fromHour: 0, perHour: 0 },
    { fromHour: 8, perHour: 0.1 },
    { fromHour: 9.5, perHour: 0 },
    { fromHour: 12.5, perHour: 0.12 },
    { fromHour: 13.5, perHour: 0 },
    { fromHour: 18, perHour: 0.14 },
    { fromHour: 20, perHour: 0 },
  ],
};

/** A ~3.5 kW gas heater in the evening (≈0.25 kg/h), applied in cold months only. */
export const DEFAULT_HEATING_KG_PER_HOUR: DailyProfileSpec = {
  weekday: [
    { fromHour: 0, perHour: 0 },
    { fromHour: 18, perHour: 0.25 },
    { fromHour: 22, perHour: 0 },
  ],
};

export interface LpgCylinderConfig {
  /** The instant the state below describes. */
  readonly startMs: number;
  readonly utcOffsetMinutes?: number;
  readonly seed?: number;
  /** Water capacity; default 108 L (a 45 kg cylinder, as sold in Australia). */
  readonly waterCapacityLitres?: number;
  readonly liquidDensityKgPerLitre?: number;
  /** Cylinders are filled to at most 80% of water capacity; that fill is 100% here. */
  readonly maxFillFraction?: number;
  /** Level at startMs, 0–100 where 100 = the maximum fill. Default 100. */
  readonly initialPercentOfFill?: number;
  readonly cookingKgPerHour?: DailyProfileSpec;
  readonly heatingKgPerHour?: DailyProfileSpec;
  /** Local months (1–12) with evening heating. Default December–February. */
  readonly coldMonths?: readonly number[];
  /** Standard deviation of the day's consumption factor (1 ± sd). Default 0.15. */
  readonly dailyVariation?: number;
  /** A refill is ordered when the level drops to this percent of fill; null: never. Default 20. */
  readonly refillBelowPercentOfFill?: number | null;
  /** Order-to-delivery time. Default 2 days. */
  readonly deliveryDelayMs?: number;
  /** Per-order delays (order 0, 1, …) overriding deliveryDelayMs, e.g. one late delivery. */
  readonly deliveryDelaysMs?: readonly number[];
  /** Instants at which the cylinder is swapped for a full one whatever its level. */
  readonly scheduledSwapsMs?: readonly number[];
}

export interface LpgCylinderState {
  readonly timeMs: number;
  readonly liquidLitres: number;
  readonly liquidKg: number;
  readonly fractionOfWaterCapacity: number;
  /** 0–100, where 100 is the maximum fill (80% of water capacity). */
  readonly percentOfFill: number;
  /** True when there is no liquid left (a late delivery). */
  readonly empty: boolean;
  readonly refills: number;
  readonly lastRefillAt: number | null;
  /** When the ordered delivery arrives; null when nothing is on order. */
  readonly deliveryDueAt: number | null;
  /** Totals since startMs: initial − consumed + refilled = liquid. */
  readonly consumedLitres: number;
  readonly refilledLitres: number;
  /** What the home wanted to burn while the cylinder was empty. */
  readonly unmetKg: number;
}

export class LpgCylinder {
  readonly waterCapacityLitres: number;
  readonly fullLitres: number;
  readonly densityKgPerLitre: number;
  /** Consumption in kg per hour (day factor included). */
  readonly consumption: PiecewiseRate;

  readonly #orderAtLitres: number | null;
  readonly #deliveryDelayMs: number;
  readonly #deliveryDelaysMs: readonly number[];
  readonly #swaps: readonly number[];
  #timeMs: number;
  #litres: number;
  #orders = 0;
  #deliveryDueAt: number | null = null;
  #refills = 0;
  #lastRefillAt: number | null = null;
  #consumedLitres = 0;
  #refilledLitres = 0;
  #unmetKg = 0;

  constructor(config: LpgCylinderConfig) {
    const offset = config.utcOffsetMinutes ?? 0;
    this.waterCapacityLitres = positive(config.waterCapacityLitres ?? 108, 'waterCapacityLitres');
    this.densityKgPerLitre = positive(config.liquidDensityKgPerLitre ?? PROPANE_LIQUID_KG_PER_LITRE, 'density');
    const maxFill = config.maxFillFraction ?? 0.8;
    if (!(maxFill > 0 && maxFill <= 0.8)) throw new RangeError(`maxFillFraction: must be in (0, 0.8], got ${maxFill}`);
    this.fullLitres = this.waterCapacityLitres * maxFill;
    const initialPercent = config.initialPercentOfFill ?? 100;
    if (!(initialPercent >= 0 && initialPercent <= 100)) {
      throw new RangeError(`initialPercentOfFill: must be within 0–100, got ${initialPercent}`);
    }
    const threshold = config.refillBelowPercentOfFill === undefined ? 20 : config.refillBelowPercentOfFill;
    this.#orderAtLitres = threshold === null ? null : (threshold / 100) * this.fullLitres;
    this.#deliveryDelayMs = config.deliveryDelayMs ?? 2 * MS_PER_DAY;
    this.#deliveryDelaysMs = config.deliveryDelaysMs ?? [];
    this.#swaps = [...(config.scheduledSwapsMs ?? [])].filter((t) => t > config.startMs).sort((a, b) => a - b);
    this.#timeMs = config.startMs;
    this.#litres = (initialPercent / 100) * this.fullLitres;
    this.consumption = consumptionRate(config, offset);
    this.#orderIfLow();
  }

  get timeMs(): number {
    return this.#timeMs;
  }

  get state(): LpgCylinderState {
    return {
      timeMs: this.#timeMs,
      liquidLitres: this.#litres,
      liquidKg: this.#litres * this.densityKgPerLitre,
      fractionOfWaterCapacity: this.#litres / this.waterCapacityLitres,
      percentOfFill: (100 * this.#litres) / this.fullLitres,
      empty: this.#litres <= 0,
      refills: this.#refills,
      lastRefillAt: this.#lastRefillAt,
      deliveryDueAt: this.#deliveryDueAt,
      consumedLitres: this.#consumedLitres,
      refilledLitres: this.#refilledLitres,
      unmetKg: this.#unmetKg,
    };
  }

  /** The fill fraction (0–1, 1 = maximum fill) at `nowMs`, after advancing to it. */
  fillFractionAt(nowMs: number): number {
    this.advanceTo(nowMs);
    return this.#litres / this.fullLitres;
  }

  /**
   * Sets the contents at `nowMs` (percent of maximum fill), as a technician
   * swapping in a cylinder of known contents would: for calibration rehearsals.
   */
  setPercentOfFill(nowMs: number, percent: number): void {
    if (!(percent >= 0 && percent <= 100)) throw new RangeError(`percent of fill: must be within 0–100, got ${percent}`);
    this.advanceTo(nowMs);
    this.#litres = (percent / 100) * this.fullLitres;
  }

  advanceTo(nowMs: number): void {
    while (this.#timeMs < nowMs) {
      const swapAt = this.#swaps.find((t) => t > this.#timeMs) ?? Number.POSITIVE_INFINITY;
      const until = Math.min(nowMs, this.#deliveryDueAt ?? Number.POSITIVE_INFINITY, swapAt);
      this.#consumeUntil(until);
      if (this.#timeMs === this.#deliveryDueAt || this.#timeMs === swapAt) this.#refill();
    }
  }

  /** Burns gas up to `untilMs`, stopping early at the order threshold. */
  #consumeUntil(untilMs: number): void {
    while (this.#timeMs < untilMs) {
      const t = this.#timeMs;
      const end = Math.min(untilMs, this.consumption.nextChangeAfter(t));
      const kgPerHour = this.consumption.rateAt(t);
      const litresPerHour = kgPerHour / this.densityKgPerLitre;
      const hours = (end - t) / MS_PER_HOUR;
      if (this.#litres <= 0) {
        this.#unmetKg += kgPerHour * hours;
        this.#timeMs = end;
        continue;
      }
      const stopAt = this.#orderAtLitres !== null && this.#deliveryDueAt === null && this.#litres > this.#orderAtLitres
        ? this.#orderAtLitres
        : 0;
      const canBurn = this.#litres - stopAt;
      if (litresPerHour > 0 && litresPerHour * hours >= canBurn) {
        this.#timeMs = Math.min(end, t + (canBurn / litresPerHour) * MS_PER_HOUR);
        this.#litres = stopAt;
        this.#consumedLitres += canBurn;
        this.#orderIfLow();
        return; // a crossing: let advanceTo re-plan with the new delivery date
      }
      this.#litres -= litresPerHour * hours;
      this.#consumedLitres += litresPerHour * hours;
      this.#timeMs = end;
    }
  }

  #orderIfLow(): void {
    if (this.#orderAtLitres === null || this.#deliveryDueAt !== null || this.#litres > this.#orderAtLitres) return;
    const delay = this.#deliveryDelaysMs[this.#orders] ?? this.#deliveryDelayMs;
    this.#orders += 1;
    this.#deliveryDueAt = this.#timeMs + delay;
  }

  /** A full cylinder arrives; a swap also settles any pending order. */
  #refill(): void {
    this.#refilledLitres += this.fullLitres - this.#litres;
    this.#litres = this.fullLitres;
    this.#refills += 1;
    this.#lastRefillAt = this.#timeMs;
    this.#deliveryDueAt = null;
  }
}

/** kg/h: (cooking + heating in cold months) × a seeded factor per local day. */
function consumptionRate(config: LpgCylinderConfig, offset: number): PiecewiseRate {
  const cooking = new DailyProfile(config.cookingKgPerHour ?? DEFAULT_COOKING_KG_PER_HOUR, offset);
  const heating = new DailyProfile(config.heatingKgPerHour ?? DEFAULT_HEATING_KG_PER_HOUR, offset);
  const coldMonths = new Set(config.coldMonths ?? [12, 1, 2]);
  const seed = config.seed ?? 1;
  const sd = config.dailyVariation ?? 0.15;
  return {
    rateAt(ms) {
      const local = localTime(ms, offset);
      const heat = coldMonths.has(local.month) ? heating.rateAt(ms) : 0;
      const factor = Math.max(0, 1 + sd * keyedNormal(seed, local.dayNumber));
      return factor * (cooking.rateAt(ms) + heat);
    },
    // Both profiles change at local midnight, where the day factor and month change too.
    nextChangeAfter: (ms) => Math.min(cooking.nextChangeAfter(ms), heating.nextChangeAfter(ms)),
  };
}

function positive(value: number, what: string): number {
  if (!(Number.isFinite(value) && value > 0)) throw new RangeError(`${what}: must be a positive number, got ${value}`);
  return value;
}
