/**
 * The backtest's 90-day traces, from hardware/sim's world models: a cooking LPG
 * cylinder (14.2 kg, refilled two days after 20 %), a heating tank through a
 * cold spell (with its outdoor temperature), and a 10 kL household water tank
 * filled by a pump from 20 % to 90 %. Each gives the readings a gateway would
 * send (sensor noise, a few bad echoes, readings flagged noisy, two outages with
 * no readings) and the truth: the level and the cumulative use, every 10 minutes.
 */
import { HeatingTank } from '../../hardware/sim/world/heating-tank.js';
import { keyedNormal, keyedUniform } from '../../hardware/sim/world/keyed-random.js';
import { LpgCylinder } from '../../hardware/sim/world/lpg-cylinder.js';
import { WaterTank } from '../../hardware/sim/world/water-tank.js';

export const DAY = 86_400_000;
const STEP = 10 * 60_000;

export interface TruthPoint {
  readonly at: number;
  /** The true level, percent. */
  readonly percent: number;
  /** Use since the start, percent of the tank (refills do not count). */
  readonly usedPercent: number;
}

export interface Sample {
  readonly at: number;
  readonly percent: number;
  readonly quality: 'ok' | 'noisy';
}

export interface Trace {
  readonly name: string;
  readonly capacityLitres: number;
  readonly reorderPercent: number;
  readonly start: number;
  readonly truth: readonly TruthPoint[];
  readonly samples: readonly Sample[];
  /** Heating only: the outdoor temperature every hour. */
  readonly outdoor?: readonly { readonly at: number; readonly celsius: number }[];
}

interface World {
  advanceTo(at: number): void;
  level(): { percent: number; usedPercent: number };
}

function record(seed: number, start: number, days: number, world: World, noiseSd: number, sampleMs: number): Pick<Trace, 'truth' | 'samples'> {
  const truth: TruthPoint[] = [];
  const samples: Sample[] = [];
  const outages = [
    { from: start + (18 + 5 * keyedUniform(seed, 1)) * DAY, days: 1 + keyedUniform(seed, 2) },
    { from: start + (52 + 5 * keyedUniform(seed, 3)) * DAY, days: 2 + keyedUniform(seed, 4) },
  ];
  for (let at = start; at <= start + days * DAY; at += STEP) {
    world.advanceTo(at);
    const now = world.level();
    truth.push({ at, ...now });
    if ((at - start) % sampleMs !== 0 || outages.some((o) => at >= o.from && at < o.from + o.days * DAY)) continue;
    const u = keyedUniform(seed, at, 7);
    const bad = u < 0.002; // a bad echo the sensor still calls ok
    const flagged = u > 0.99; // the driver saw it was noisy
    const noise = noiseSd * keyedNormal(seed, at, 9);
    const percent = bad || flagged ? 100 * keyedUniform(seed, at, 11) : now.percent + noise;
    samples.push({ at, percent: Math.min(100, Math.max(0, percent)), quality: flagged ? 'noisy' : 'ok' });
  }
  return { truth, samples };
}

export function forecastTraces(seed: number, days: number, sampleMs: number): Trace[] {
  const start = Date.UTC(2026, 11, 1) - 365 * DAY; // a past winter: the cloud refuses readings from the future
  const cylinder = new LpgCylinder({ startMs: start, seed, waterCapacityLitres: 33.3, liquidDensityKgPerLitre: 0.55, initialPercentOfFill: 90, coldMonths: [], refillBelowPercentOfFill: 20 });
  const cylinderWorld: World = {
    advanceTo: (at) => cylinder.advanceTo(at),
    level: () => ({ percent: cylinder.state.percentOfFill, usedPercent: (100 * cylinder.state.consumedLitres) / cylinder.fullLitres }),
  };
  const heating = new HeatingTank({
    startMs: start,
    seed,
    capacityLitres: 1500,
    initialLitres: 1150,
    coldSpells: [{ fromMs: start + 38 * DAY, untilMs: start + 50 * DAY, dropCelsius: 9 }],
  });
  const heatingWorld: World = {
    advanceTo: (at) => heating.advanceTo(at),
    level: () => ({ percent: heating.state.percent, usedPercent: (100 * heating.state.consumedLitres) / heating.capacityLitres }),
  };
  const water = new WaterTank({ startMs: start, seed, diameterMm: 2400, heightMm: 2200, initialLevelMm: 1900, pump: { lowMarkMm: 440, highMarkMm: 1980, fillLitresPerHour: 2000 } });
  const waterWorld: World = {
    advanceTo: (at) => water.advanceTo(at),
    level: () => ({ percent: water.state.percent, usedPercent: (100 * (water.state.drawnLitres + water.state.leakedLitres)) / water.capacityLitres }),
  };
  const heatingTrace = record(seed + 2, start, days, heatingWorld, 0.4, sampleMs);
  return [
    { name: 'cooking LPG cylinder', capacityLitres: cylinder.fullLitres, reorderPercent: 20, start, ...record(seed + 1, start, days, cylinderWorld, 0.6, sampleMs) },
    {
      name: 'heating tank, cold spell',
      capacityLitres: heating.capacityLitres,
      reorderPercent: 20,
      start,
      ...heatingTrace,
      outdoor: Array.from({ length: days * 24 }, (_, h) => ({ at: start + h * 3_600_000, celsius: heating.outdoorCelsius(start + h * 3_600_000) + 0.3 * keyedNormal(seed, h, 5) })),
    },
    { name: 'household water tank, pump refills', capacityLitres: water.capacityLitres, reorderPercent: 20, start, ...record(seed + 3, start, days, waterWorld, 0.3, sampleMs) },
  ];
}

/** When the tank would have run empty with no delivery after `at`: use from `at` on reaches the level at `at`; null past the trace's end. */
export function trueEmptyAt(truth: readonly TruthPoint[], at: number): number | null {
  let lo = 0;
  let hi = truth.length - 1;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if ((truth[mid]?.at ?? 0) < at) lo = mid + 1;
    else hi = mid;
  }
  const from = truth[lo];
  if (from === undefined) return null;
  for (let i = lo + 1; i < truth.length; i++) {
    const p = truth[i];
    if (p !== undefined && p.usedPercent - from.usedPercent >= from.percent) return p.at;
  }
  return null;
}
