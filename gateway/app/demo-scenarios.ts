/**
 * What `easygas gateway --simulate [--scenario NAME]` plays. The default is a
 * quiet home whose LPG cylinder is about to be refilled and whose water tank is
 * in daily use; each scenario adds one thing going wrong a few simulated minutes
 * after start, so at the default 60× speed it shows within a minute.
 */
import { burnerGasM3PerHour } from '../../hardware/sim/world/gas-leak.js';
import { MS_PER_MINUTE, localTime } from '../../hardware/sim/world/daily-profile.js';
import type { HomeScenarioOverrides, StoryTime } from '../../hardware/sim/world/home-scenario.js';

export const SCENARIO_NAMES = ['gas-leak', 'water-leak', 'sensor-fault', 'low-level', 'slow-leak'] as const;
export type ScenarioName = (typeof SCENARIO_NAMES)[number];

/** A hardware fault the simulated home injects at a moment after start. */
export interface ScheduledFault {
  readonly afterMs: number;
  /** Unplug every sensor on this driver: the serial adapter vanishes, the I2C chip stops answering. */
  readonly unplug: 'ultrasonic' | 'ads1115';
}

export interface DemoScenario {
  readonly name: ScenarioName | 'quiet';
  readonly description: string;
  readonly world: HomeScenarioOverrides;
  readonly faults: readonly ScheduledFault[];
}

/** The local story time `offsetMs` after `startMs` (the world counts days from its start). */
export function storyTimeAfter(startMs: number, offsetMs: number, utcOffsetMinutes: number): StoryTime {
  const t = localTime(startMs + offsetMs, utcOffsetMinutes);
  return { day: 1, hour: t.hour };
}

/** The quiet home: the LPG cylinder crosses its reorder level at once and is refilled 30 min later. */
function quietWorld(): HomeScenarioOverrides {
  return {
    lpgCylinder: { initialPercentOfFill: 20.2, refillBelowPercentOfFill: 20, deliveryDelayMs: 30 * MS_PER_MINUTE },
    waterTank: { initialLevelMm: 650 },
    gasLeaks: [],
    underSinkLeaks: [],
  };
}

/** 10 L/h around the clock for three days: each "night" of the world's leak lasts 23 h 59 min from the start hour. */
function slowLeak(startMs: number, utcOffsetMinutes: number) {
  const fromHour = localTime(startMs, utcOffsetMinutes).hour;
  return { litresPerHour: 10, fromHour, toHour: (fromHour + 24 - 1 / 60) % 24, nights: [1, 2, 3] };
}

export function demoScenario(name: ScenarioName | undefined, startMs: number, utcOffsetMinutes: number): DemoScenario {
  const at = (minutes: number): StoryTime => storyTimeAfter(startMs, minutes * MS_PER_MINUTE, utcOffsetMinutes);
  const quiet = quietWorld();
  switch (name) {
    case undefined:
      return { name: 'quiet', description: 'a quiet home: levels change, the LPG cylinder gets refilled', world: quiet, faults: [] };
    case 'gas-leak':
      return {
        name,
        description: 'a burner is left on unlit 5 minutes in (simulated): gas warning, then the alarm',
        world: {
          ...quiet,
          gasLeaks: [
            {
              at: at(5),
              minutes: 25,
              sourceM3PerHour: burnerGasM3PerHour(6),
              ventilateAirChangesPerHour: 6,
              ventilateMinutes: 60,
            },
          ],
        },
        faults: [],
      };
    case 'water-leak':
      return {
        name,
        description: 'the contact under the sink gets wet 3 minutes in (simulated), flickering as it dries 30 minutes later',
        world: { ...quiet, underSinkLeaks: [{ at: at(3), wetMinutes: 30, flickerMinutes: 2 }] },
        faults: [],
      };
    case 'sensor-fault':
      return {
        name,
        description: 'the ultrasonic sensor is unplugged 3 minutes in, the ADS1115 stops answering at 6 (simulated)',
        world: quiet,
        faults: [
          { afterMs: 3 * MS_PER_MINUTE, unplug: 'ultrasonic' },
          { afterMs: 6 * MS_PER_MINUTE, unplug: 'ads1115' },
        ],
      };
    case 'slow-leak':
      return {
        name,
        description: 'a pipe after the roof tank leaks 10 L/h, day and night, from the start: the leak watch warns in the first night',
        world: { ...quiet, waterTank: { initialLevelMm: 900, nightLeak: slowLeak(startMs, utcOffsetMinutes) } },
        faults: [],
      };
    case 'low-level':
      return {
        name,
        description: 'the water pump has failed and the tank runs down; the LPG delivery is late',
        world: {
          ...quiet,
          lpgCylinder: { initialPercentOfFill: 11, refillBelowPercentOfFill: null },
          waterTank: { initialLevelMm: 140, pump: { enabled: false } },
        },
        faults: [],
      };
  }
}
