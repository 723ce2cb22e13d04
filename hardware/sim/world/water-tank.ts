/**
 * A roof water tank (vertical cylinder). The household draws from a daily profile
 * (morning showers, laundry, evening); a pump (or a mains float valve) starts at a
 * low mark and fills to a high mark; an optional night leak drains a few litres an
 * hour while nobody uses water, which is what the gateway's leak rule looks for.
 *
 * advanceTo() solves the pump's and the floor's crossings exactly, so the state is
 * the same whatever the step size. Going backwards in time is ignored.
 */
import {
  DailyProfile,
  MS_PER_HOUR,
  WindowedRate,
  hourlySteps,
  localDayNumber,
  nthLocalOccurrence,
  localTime,
  startOfLocalDay,
} from './daily-profile.js';
import type { DailyProfileSpec, PiecewiseRate, RateWindow } from './daily-profile.js';
import { keyedNormal, keyedUniform } from './keyed-random.js';

/** About 590 L on a weekday for a family of four; nothing between 23:00 and 05:00. */
export const DEFAULT_WATER_DRAW_LITRES_PER_HOUR: DailyProfileSpec = {
  weekday: hourlySteps([0, 0, 0, 0, 0, 20, 90, 90, 90, 30, 30, 10, 10, 10, 10, 10, 10, 25, 25, 40, 40, 40, 10, 0]),
  weekend: hourlySteps([0, 0, 0, 0, 0, 0, 20, 60, 90, 90, 60, 60, 30, 20, 10, 10, 10, 25, 25, 40, 40, 40, 10, 0]),
};

export interface PumpConfig {
  /** False lets the tank run dry. Default true. */
  readonly enabled?: boolean;
  /** Default 1000 L/h (a small domestic pump). */
  readonly fillLitresPerHour?: number;
  /** The pump starts when the level falls to this. Default 30% of the height. */
  readonly lowMarkMm?: number;
  /** The pump stops when the level rises to this. Default 90% of the height. */
  readonly highMarkMm?: number;
  /** Times with no pumping (power or mains cut); the pump resumes after. */
  readonly outages?: readonly { readonly fromMs: number; readonly untilMs: number }[];
}

export interface NightLeakConfig {
  /** Default 8 L/h. */
  readonly litresPerHour?: number;
  /** Local clock hours; a window past midnight (23 → 4) is fine. Default 1 → 5. */
  readonly fromHour?: number;
  readonly toHour?: number;
  /**
   * Nights with the leak, counted from the start: night N's window opens at the
   * N-th fromHour at or after startMs. Starting at 08:00, night 2 at 01:00–05:00 is
   * the early morning of the third calendar day.
   */
  readonly nights: readonly number[];
}

export interface CondensationConfig {
  /** Local months (1–12) with cold nights. */
  readonly months: readonly number[];
  /** Local clock hours of the cold part of the night. Default 0 → 7. */
  readonly fromHour?: number;
  readonly toHour?: number;
  /** Chance that the sensor hears no echo in a slot. Default 0.2. */
  readonly dropoutProbability?: number;
  /** A droplet lasts a slot. Default 60 s. */
  readonly slotMs?: number;
}

export interface WaterTankConfig {
  readonly startMs: number;
  readonly utcOffsetMinutes?: number;
  readonly seed?: number;
  /** Default 1100 mm × 1050 mm ≈ 1000 L. */
  readonly diameterMm?: number;
  readonly heightMm?: number;
  /** Default 80% of the height. */
  readonly initialLevelMm?: number;
  readonly drawLitresPerHour?: DailyProfileSpec;
  /** Standard deviation of each local hour's draw factor (1 ± sd). Default 0.2. */
  readonly hourlyVariation?: number;
  readonly pump?: PumpConfig;
  readonly nightLeak?: NightLeakConfig;
  readonly condensation?: CondensationConfig;
}

export interface WaterTankState {
  readonly timeMs: number;
  readonly levelMm: number;
  readonly litres: number;
  /** 0–100 of the tank's height. */
  readonly percent: number;
  /** The pump is running now. */
  readonly pumpOn: boolean;
  /** The night leak is flowing now. */
  readonly leaking: boolean;
  readonly pumpStarts: number;
  /** Totals since startMs: initial + pumped − drawn − leaked = litres. */
  readonly pumpedLitres: number;
  readonly drawnLitres: number;
  readonly leakedLitres: number;
  /** Demand the empty tank could not deliver. */
  readonly unmetLitres: number;
}

export class WaterTank {
  readonly heightMm: number;
  /** Litres per mm of level (π r², with r in metres × 1000 mm). */
  readonly litresPerMm: number;
  readonly capacityLitres: number;
  readonly lowMarkMm: number;
  readonly highMarkMm: number;
  /** Household draw in L/h (hourly variation included). */
  readonly draw: PiecewiseRate;
  readonly leak: WindowedRate;

  readonly #utcOffsetMinutes: number;
  readonly #seed: number;
  readonly #pumpEnabled: boolean;
  readonly #fillLitresPerHour: number;
  readonly #outages: WindowedRate;
  readonly #condensation: CondensationConfig | undefined;
  #timeMs: number;
  /** The state: water height above the tank floor. */
  #levelMm: number;
  #pumpCalled = false;
  #pumpStarts = 0;
  #pumped = 0;
  #drawn = 0;
  #leaked = 0;
  #unmet = 0;

  constructor(config: WaterTankConfig) {
    const diameterMm = config.diameterMm ?? 1100;
    this.heightMm = config.heightMm ?? 1050;
    if (!(diameterMm > 0 && this.heightMm > 0)) throw new RangeError('diameterMm and heightMm must be positive');
    this.litresPerMm = Math.PI * (diameterMm / 2000) ** 2;
    this.capacityLitres = this.litresPerMm * this.heightMm;
    const pump = config.pump ?? {};
    this.lowMarkMm = pump.lowMarkMm ?? 0.3 * this.heightMm;
    this.highMarkMm = pump.highMarkMm ?? 0.9 * this.heightMm;
    if (!(this.lowMarkMm >= 0 && this.lowMarkMm < this.highMarkMm && this.highMarkMm <= this.heightMm)) {
      throw new RangeError(`pump marks: need 0 <= lowMarkMm < highMarkMm <= heightMm (${this.lowMarkMm}, ${this.highMarkMm})`);
    }
    this.#pumpEnabled = pump.enabled ?? true;
    this.#fillLitresPerHour = pump.fillLitresPerHour ?? 1000;
    this.#outages = new WindowedRate((pump.outages ?? []).map((o) => ({ ...o, perHour: 1 })));
    this.#utcOffsetMinutes = config.utcOffsetMinutes ?? 0;
    this.#seed = config.seed ?? 1;
    this.#condensation = config.condensation;
    this.#timeMs = config.startMs;
    const initialMm = config.initialLevelMm ?? 0.8 * this.heightMm;
    if (!(initialMm >= 0 && initialMm <= this.heightMm)) throw new RangeError(`initialLevelMm: must be within 0–${this.heightMm}`);
    this.#levelMm = initialMm;
    this.draw = drawRate(config, this.#utcOffsetMinutes, this.#seed);
    this.leak = new WindowedRate(nightLeakWindows(config, this.#utcOffsetMinutes));
    this.#settlePump();
  }

  get timeMs(): number {
    return this.#timeMs;
  }

  get state(): WaterTankState {
    const levelMm = this.#levelMm;
    return {
      timeMs: this.#timeMs,
      levelMm,
      litres: levelMm * this.litresPerMm,
      percent: (100 * levelMm) / this.heightMm,
      pumpOn: this.#pumpRunning(this.#timeMs),
      leaking: this.leak.activeAt(this.#timeMs),
      pumpStarts: this.#pumpStarts,
      pumpedLitres: this.#pumped,
      drawnLitres: this.#drawn,
      leakedLitres: this.#leaked,
      unmetLitres: this.#unmet,
    };
  }

  /**
   * What an ultrasonic sensor mounted `mountHeightMm` above the tank floor sees at
   * the current time: the distance down to the water, or null (no echo) during a
   * condensation dropout.
   */
  distanceForSensor(mountHeightMm: number): number | null {
    if (this.#dropoutAt(this.#timeMs)) return null;
    return mountHeightMm - this.#levelMm;
  }

  /** advanceTo(nowMs), then distanceForSensor: the shape an ultrasonic emulator takes. */
  distanceAt(mountHeightMm: number, nowMs: number): number | null {
    this.advanceTo(nowMs);
    return this.distanceForSensor(mountHeightMm);
  }

  /** Sets the water height at `nowMs`, as a rehearsal does by filling or draining the tank. */
  setLevelMm(nowMs: number, levelMm: number): void {
    if (!(levelMm >= 0 && levelMm <= this.heightMm)) throw new RangeError(`level: must be within 0–${this.heightMm} mm, got ${levelMm}`);
    this.advanceTo(nowMs);
    this.#levelMm = levelMm;
    this.#settlePump();
  }

  /** The water height above the floor at `nowMs`. */
  levelMmAt(nowMs: number): number {
    this.advanceTo(nowMs);
    return this.#levelMm;
  }

  advanceTo(nowMs: number): void {
    while (this.#timeMs < nowMs) {
      this.#settlePump();
      const t = this.#timeMs;
      const end = Math.min(
        nowMs,
        this.draw.nextChangeAfter(t),
        this.leak.nextChangeAfter(t),
        this.#outages.nextChangeAfter(t),
      );
      const demand = this.draw.rateAt(t);
      const leak = this.leak.rateAt(t);
      const inflow = this.#pumpRunning(t) ? this.#fillLitresPerHour : 0;
      const net = (inflow - demand - leak) / this.litresPerMm; // mm per hour
      // The first crossing in this segment, in hours: low mark, high mark or floor.
      const level = this.#levelMm;
      let hours = (end - t) / MS_PER_HOUR;
      let reached: number | null = null;
      if (net < 0 && level > this.lowMarkMm && this.#pumpEnabled && !this.#pumpCalled) {
        [hours, reached] = earlier(hours, reached, (level - this.lowMarkMm) / -net, this.lowMarkMm);
      }
      if (net > 0 && this.#pumpCalled) {
        [hours, reached] = earlier(hours, reached, (this.highMarkMm - level) / net, this.highMarkMm);
      }
      if (net < 0 && level > 0) [hours, reached] = earlier(hours, reached, level / -net, 0);

      this.#pumped += inflow * hours;
      if (net < 0 && level <= 0) {
        // Dry: whatever comes in goes straight out, shared by the taps and the leak.
        const share = inflow / (demand + leak);
        this.#drawn += demand * share * hours;
        this.#leaked += leak * share * hours;
        this.#unmet += (demand + leak) * (1 - share) * hours;
      } else {
        this.#drawn += demand * hours;
        this.#leaked += leak * hours;
        this.#levelMm = reached ?? level + net * hours;
      }
      this.#timeMs = reached === null ? end : Math.min(end, t + hours * MS_PER_HOUR);
    }
    this.#settlePump();
  }

  /** The float switch's hysteresis: call at or below the low mark, release at the high mark. */
  #settlePump(): void {
    if (!this.#pumpCalled && this.#pumpEnabled && this.#levelMm <= this.lowMarkMm) {
      this.#pumpCalled = true;
      this.#pumpStarts += 1;
    } else if (this.#pumpCalled && this.#levelMm >= this.highMarkMm) {
      this.#pumpCalled = false;
    }
  }

  #pumpRunning(ms: number): boolean {
    return this.#pumpEnabled && this.#pumpCalled && !this.#outages.activeAt(ms);
  }

  #dropoutAt(ms: number): boolean {
    const c = this.#condensation;
    if (c === undefined) return false;
    const local = localTime(ms, this.#utcOffsetMinutes);
    if (!c.months.includes(local.month) || !inHours(local.hour, c.fromHour ?? 0, c.toHour ?? 7)) return false;
    const slot = Math.floor(ms / (c.slotMs ?? 60_000));
    return keyedUniform(this.#seed, 0x636f6e64, slot) < (c.dropoutProbability ?? 0.2);
  }
}

function earlier(hours: number, reached: number | null, candidate: number, level: number): [number, number | null] {
  return candidate < hours ? [candidate, level] : [hours, reached];
}

/** Hours modulo a day, in [0, 24). */
function wrapHours(hours: number): number {
  return ((hours % 24) + 24) % 24;
}

function inHours(hour: number, from: number, to: number): boolean {
  return from <= to ? hour >= from && hour < to : hour >= from || hour < to;
}

/** L/h: the daily profile × a seeded factor per local hour (zero stays zero). */
function drawRate(config: WaterTankConfig, offset: number, seed: number): PiecewiseRate {
  const profile = new DailyProfile(config.drawLitresPerHour ?? DEFAULT_WATER_DRAW_LITRES_PER_HOUR, offset);
  const sd = config.hourlyVariation ?? 0.2;
  const hourIndex = (ms: number): { day: number; hour: number } => {
    const day = localDayNumber(ms, offset);
    return { day, hour: Math.floor((ms - startOfLocalDay(day, offset)) / MS_PER_HOUR) };
  };
  return {
    rateAt(ms) {
      const { day, hour } = hourIndex(ms);
      return profile.rateAt(ms) * Math.max(0, 1 + sd * keyedNormal(seed, day, hour));
    },
    nextChangeAfter(ms) {
      const { day, hour } = hourIndex(ms);
      return Math.min(profile.nextChangeAfter(ms), startOfLocalDay(day, offset) + (hour + 1) * MS_PER_HOUR);
    },
  };
}

function nightLeakWindows(config: WaterTankConfig, offset: number): RateWindow[] {
  const leak = config.nightLeak;
  if (leak === undefined) return [];
  const fromHour = leak.fromHour ?? 1;
  const toHour = leak.toHour ?? 5;
  const durationMs = Math.round(wrapHours(toHour - fromHour) * MS_PER_HOUR);
  if (durationMs === 0) throw new RangeError('nightLeak: fromHour and toHour must differ');
  return leak.nights.map((night) => {
    const fromMs = nthLocalOccurrence(config.startMs, night, fromHour, offset);
    return { fromMs, untilMs: fromMs + durationMs, perHour: leak.litresPerHour ?? 8 };
  });
}
