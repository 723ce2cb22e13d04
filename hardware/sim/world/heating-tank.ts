/**
 * A heating fuel tank (LPG or oil) whose burner follows the weather: the outdoor
 * temperature is a daily mean (a base plus keyed day-to-day noise, minus any cold
 * spell) with a diurnal swing, and the burner draws base + HDD / K litres a day,
 * spread over the day in proportion to the instant's heating demand, as fuel
 * dealers' degree-day model assumes. A delivery is ordered at a low mark and
 * fills the tank a few days later.
 *
 * advanceTo() integrates in fixed 5-minute steps from the start, so the state is
 * the same whatever the caller's step. Going backwards in time is ignored.
 */
import { MS_PER_DAY, MS_PER_HOUR } from './daily-profile.js';
import { keyedNormal } from './keyed-random.js';

export interface ColdSpell {
  readonly fromMs: number;
  readonly untilMs: number;
  /** How much colder each day's mean is, °C. */
  readonly dropCelsius: number;
}

export interface HeatingTankConfig {
  readonly startMs: number;
  readonly seed?: number;
  readonly capacityLitres?: number;
  readonly initialLitres?: number;
  /** Daily mean outdoor temperature with no cold spell. Default 5 °C. */
  readonly meanCelsius?: number;
  /** Standard deviation of a day's mean. Default 2.5 °C. */
  readonly dailyCelsiusSd?: number;
  readonly coldSpells?: readonly ColdSpell[];
  /** Hot water and cooking, litres a day. Default 3. */
  readonly baseLitresPerDay?: number;
  /** Litres per heating degree-day (1 / K). Default 1.5. */
  readonly litresPerDegreeDay?: number;
  /** Order at this many litres; delivered `deliveryDelayMs` later, to `capacity × 0.9`. */
  readonly orderBelowLitres?: number;
  readonly deliveryDelayMs?: number;
}

const STEP = 5 * 60_000;
export const HEATING_BASE_CELSIUS = 15.5;

export class HeatingTank {
  readonly capacityLitres: number;
  readonly #config: HeatingTankConfig;
  #timeMs: number;
  #litres: number;
  #consumed = 0;
  #deliveryDueAt: number | null = null;
  #deliveries = 0;

  constructor(config: HeatingTankConfig) {
    this.#config = config;
    this.capacityLitres = config.capacityLitres ?? 1500;
    this.#litres = config.initialLitres ?? 0.8 * this.capacityLitres;
    this.#timeMs = config.startMs;
  }

  /** The day's mean outdoor temperature, °C. */
  dailyMeanCelsius(atMs: number): number {
    const day = Math.floor(atMs / MS_PER_DAY);
    const spell = (this.#config.coldSpells ?? []).find((s) => atMs >= s.fromMs && atMs < s.untilMs);
    return (this.#config.meanCelsius ?? 5) + (this.#config.dailyCelsiusSd ?? 2.5) * keyedNormal(this.#config.seed ?? 1, day) - (spell?.dropCelsius ?? 0);
  }

  /** The outdoor temperature now: the day's mean with a ±4 °C swing, coldest at 05:00 UTC. */
  outdoorCelsius(atMs: number): number {
    const hour = (atMs % MS_PER_DAY) / MS_PER_HOUR;
    return this.dailyMeanCelsius(atMs) + 4 * Math.cos(((hour - 17) / 24) * 2 * Math.PI);
  }

  get state(): { readonly timeMs: number; readonly litres: number; readonly percent: number; readonly consumedLitres: number; readonly deliveries: number } {
    return { timeMs: this.#timeMs, litres: this.#litres, percent: (100 * this.#litres) / this.capacityLitres, consumedLitres: this.#consumed, deliveries: this.#deliveries };
  }

  advanceTo(nowMs: number): void {
    const base = this.#config.baseLitresPerDay ?? 3;
    const perDegreeDay = this.#config.litresPerDegreeDay ?? 1.5;
    const orderAt = this.#config.orderBelowLitres ?? 0.2 * this.capacityLitres;
    while (this.#timeMs + STEP <= nowMs) {
      const t = this.#timeMs;
      const demand = Math.max(0, HEATING_BASE_CELSIUS - this.outdoorCelsius(t));
      const want = ((base + demand * perDegreeDay) * STEP) / MS_PER_DAY;
      const used = Math.min(this.#litres, want);
      this.#litres -= used;
      this.#consumed += want; // what the home burned or wanted to: the backtest's truth runs on
      if (this.#deliveryDueAt === null && this.#litres <= orderAt) this.#deliveryDueAt = t + (this.#config.deliveryDelayMs ?? 3 * MS_PER_DAY);
      if (this.#deliveryDueAt !== null && t >= this.#deliveryDueAt) {
        this.#litres = 0.9 * this.capacityLitres;
        this.#deliveryDueAt = null;
        this.#deliveries++;
      }
      this.#timeMs = t + STEP;
    }
  }
}
