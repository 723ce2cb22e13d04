/**
 * The story of the simulated home that `--simulate` runs, as plain data:
 *  - the LPG cylinder starts nearly at its reorder level, runs low within the
 *    first days and is refilled two days after the order;
 *  - a burner is left on unlit for 10 minutes on day 1 at 19:30, then the valve is
 *    closed and a window opened;
 *  - the roof tank leaks 8 L/h between 01:00 and 05:00 on night 2;
 *  - the contact under the sink gets wet on day 3 at 07:15 and dries, flickering.
 * Days count occurrences of the hour from the start (see StoryTime), so a demo
 * started at any time of day still plays every event. createHomeWorld() turns
 * the story into models.
 */
import { MS_PER_MINUTE, nthLocalOccurrence } from './daily-profile.js';
import { FloatGaugeSender } from './float-gauge.js';
import type { FloatGaugeConfig } from './float-gauge.js';
import { GasLeakScenario, burnerGasM3PerHour } from './gas-leak.js';
import type { GasLeakEvent, VentilationChange } from './gas-leak.js';
import { deriveSeed } from './keyed-random.js';
import { LpgCylinder } from './lpg-cylinder.js';
import type { LpgCylinderConfig } from './lpg-cylinder.js';
import { WaterLeakScenario } from './water-leak.js';
import { WaterTank } from './water-tank.js';
import type { WaterTankConfig } from './water-tank.js';

/**
 * A local time in the story, counted from the start so that nothing falls before
 * it: { day: 1, hour: 19.5 } is the first 19:30 at or after the start, day 3 the third.
 */
export interface StoryTime {
  readonly day: number;
  readonly hour: number;
}

export interface StoryGasLeak {
  readonly at: StoryTime;
  readonly minutes: number;
  readonly sourceM3PerHour: number;
  /** After the leak stops, a window is opened: this many air changes per hour, for this long. */
  readonly ventilateAirChangesPerHour: number;
  readonly ventilateMinutes: number;
}

export interface StoryWaterLeak {
  readonly at: StoryTime;
  readonly wetMinutes: number;
  readonly flickerMinutes: number;
}

export interface HomeScenario {
  readonly lpgCylinder: Omit<LpgCylinderConfig, 'startMs' | 'utcOffsetMinutes' | 'seed'>;
  readonly lpgGauge: Omit<FloatGaugeConfig, 'seed'>;
  readonly waterTank: Omit<WaterTankConfig, 'startMs' | 'utcOffsetMinutes' | 'seed'>;
  readonly kitchen: {
    readonly mixingVolumeM3: number;
    readonly airChangesPerHour: number;
    readonly backgroundPpm: number;
  };
  readonly gasLeaks: readonly StoryGasLeak[];
  readonly underSinkLeaks: readonly StoryWaterLeak[];
}

export const DEFAULT_HOME_SCENARIO: HomeScenario = {
  lpgCylinder: { waterCapacityLitres: 108, initialPercentOfFill: 22, refillBelowPercentOfFill: 20 },
  lpgGauge: {},
  waterTank: { initialLevelMm: 700, nightLeak: { litresPerHour: 8, fromHour: 1, toHour: 5, nights: [2] } },
  kitchen: { mixingVolumeM3: 4, airChangesPerHour: 0.5, backgroundPpm: 2 },
  gasLeaks: [
    {
      at: { day: 1, hour: 19.5 },
      minutes: 10,
      sourceM3PerHour: burnerGasM3PerHour(4), // a large burner, ≈ 0.15 m³/h
      ventilateAirChangesPerHour: 6,
      ventilateMinutes: 60,
    },
  ],
  underSinkLeaks: [{ at: { day: 3, hour: 7.25 }, wetMinutes: 40, flickerMinutes: 3 }],
};

/** Each section replaces the default's fields it names; lists replace the default list. */
export type HomeScenarioOverrides = {
  readonly [K in keyof HomeScenario]?: HomeScenario[K] extends readonly unknown[] ? HomeScenario[K] : Partial<HomeScenario[K]>;
};

export interface HomeWorldOptions {
  readonly seed: number;
  readonly startMs: number;
  readonly utcOffsetMinutes: number;
  readonly overrides?: HomeScenarioOverrides;
}

export interface HomeWorld {
  readonly scenario: HomeScenario;
  readonly lpgCylinder: LpgCylinder;
  readonly lpgGauge: FloatGaugeSender;
  readonly waterTank: WaterTank;
  readonly gasLeak: GasLeakScenario;
  readonly underSinkLeak: WaterLeakScenario;
  /** Moves every model to `nowMs` (earlier times are ignored). */
  advanceTo(nowMs: number): void;
  /** The gauge sender's volts for the cylinder's level at `nowMs`. */
  lpgGaugeVoltsAt(nowMs: number): number;
}

export function resolveHomeScenario(overrides: HomeScenarioOverrides = {}): HomeScenario {
  const d = DEFAULT_HOME_SCENARIO;
  return {
    lpgCylinder: { ...d.lpgCylinder, ...overrides.lpgCylinder },
    lpgGauge: { ...d.lpgGauge, ...overrides.lpgGauge },
    waterTank: { ...d.waterTank, ...overrides.waterTank },
    kitchen: { ...d.kitchen, ...overrides.kitchen },
    gasLeaks: overrides.gasLeaks ?? d.gasLeaks,
    underSinkLeaks: overrides.underSinkLeaks ?? d.underSinkLeaks,
  };
}

export function createHomeWorld(options: HomeWorldOptions): HomeWorld {
  const { seed, startMs, utcOffsetMinutes } = options;
  const scenario = resolveHomeScenario(options.overrides);
  const instant = (at: StoryTime): number => nthLocalOccurrence(startMs, at.day, at.hour, utcOffsetMinutes);

  const lpgCylinder = new LpgCylinder({ ...scenario.lpgCylinder, startMs, utcOffsetMinutes, seed: deriveSeed(seed, 1) });
  const lpgGauge = new FloatGaugeSender({ ...scenario.lpgGauge, seed: deriveSeed(seed, 2) });
  const waterTank = new WaterTank({ ...scenario.waterTank, startMs, utcOffsetMinutes, seed: deriveSeed(seed, 3) });

  const events: GasLeakEvent[] = [];
  const ventilation: VentilationChange[] = [];
  for (const leak of scenario.gasLeaks) {
    const startLeak = instant(leak.at);
    const stopLeak = startLeak + leak.minutes * MS_PER_MINUTE;
    events.push({ startMs: startLeak, durationMs: stopLeak - startLeak, sourceM3PerHour: leak.sourceM3PerHour });
    ventilation.push(
      { atMs: stopLeak, airChangesPerHour: leak.ventilateAirChangesPerHour },
      { atMs: stopLeak + leak.ventilateMinutes * MS_PER_MINUTE, airChangesPerHour: scenario.kitchen.airChangesPerHour },
    );
  }
  const gasLeak = new GasLeakScenario({ startMs, ...scenario.kitchen, events, ventilation });

  const underSinkLeak = new WaterLeakScenario({
    seed: deriveSeed(seed, 4),
    events: scenario.underSinkLeaks.map((leak) => ({
      wetAtMs: instant(leak.at),
      wetForMs: leak.wetMinutes * MS_PER_MINUTE,
      flickerMs: leak.flickerMinutes * MS_PER_MINUTE,
    })),
  });

  const advanceTo = (nowMs: number): void => {
    lpgCylinder.advanceTo(nowMs);
    waterTank.advanceTo(nowMs);
    gasLeak.advanceTo(nowMs);
    underSinkLeak.advanceTo(nowMs);
  };
  return {
    scenario,
    lpgCylinder,
    lpgGauge,
    waterTank,
    gasLeak,
    underSinkLeak,
    advanceTo,
    lpgGaugeVoltsAt: (nowMs) => lpgGauge.voltsAt(lpgCylinder.fillFractionAt(nowMs), nowMs),
  };
}
