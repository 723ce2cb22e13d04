/**
 * The hourly level rows analytics reads (the storage's hourly rollups of `ok`
 * readings: LevelPoint), made safe to walk: non-finite or out-of-range values
 * and rows stamped by an unsynchronised clock are dropped, rows are sorted, and
 * duplicates of one hour are averaged. For LPG, when the tank's temperature
 * series is given, each level is corrected to its volume at 15 °C, so a cold
 * night's shrinkage does not look like use nor a warm afternoon like a refill.
 */
import { HOUR } from './local-time.js';

export interface LevelRow {
  /** Bucket start, UTC epoch ms. */
  readonly at: number;
  readonly percent: number | null;
  readonly litres: number | null;
  /** False when the bucket holds readings stamped by an unsynchronised gateway clock. */
  readonly clockSynced?: boolean;
}

export interface TemperatureRow {
  readonly at: number;
  readonly celsius: number;
}

/** A usable hourly level: percent always finite, litres when known. */
export interface Level {
  readonly at: number;
  readonly percent: number;
  readonly litres: number | null;
}

/** Liquid propane expands about 0.27 % per °C (≈ 0.0027 /K near 15 °C). */
export const PROPANE_EXPANSION_PER_KELVIN = 0.0027;
export const REFERENCE_CELSIUS = 15;

export interface CleanOptions {
  /** The tank's own temperature (LPG): levels are corrected to 15 °C. */
  readonly temperatures?: readonly TemperatureRow[];
  readonly expansionPerKelvin?: number;
  /** A temperature further than this from a level row is not used for it. Default 2 h. */
  readonly temperatureReachMs?: number;
}

const finite = (x: unknown): x is number => typeof x === 'number' && Number.isFinite(x);

export function cleanLevels(rows: readonly LevelRow[], options: CleanOptions = {}): Level[] {
  const byHour = new Map<number, { at: number; percent: number; litres: number; litresCount: number; count: number }>();
  for (const r of rows) {
    if (r.clockSynced === false || !finite(r.at) || !finite(r.percent) || r.percent < -1 || r.percent > 101) continue;
    const at = Math.floor(r.at / HOUR) * HOUR;
    const litres = finite(r.litres) && r.litres >= 0 ? r.litres : null;
    const seen = byHour.get(at) ?? { at, percent: 0, litres: 0, litresCount: 0, count: 0 };
    seen.percent += r.percent;
    seen.count++;
    if (litres !== null) {
      seen.litres += litres;
      seen.litresCount++;
    }
    byHour.set(at, seen);
  }
  const levels = [...byHour.values()]
    .sort((a, b) => a.at - b.at)
    .map((h) => ({ at: h.at, percent: Math.min(100, Math.max(0, h.percent / h.count)), litres: h.litresCount > 0 ? h.litres / h.litresCount : null }));
  return options.temperatures === undefined ? levels : correctTo15C(levels, options);
}

function correctTo15C(levels: readonly Level[], options: CleanOptions): Level[] {
  const alpha = options.expansionPerKelvin ?? PROPANE_EXPANSION_PER_KELVIN;
  const reach = options.temperatureReachMs ?? 2 * HOUR;
  const temps = (options.temperatures ?? []).filter((t) => finite(t.at) && finite(t.celsius) && t.celsius > -60 && t.celsius < 80).sort((a, b) => a.at - b.at);
  let i = 0;
  return levels.map((l) => {
    while (i + 1 < temps.length && Math.abs((temps[i + 1]?.at ?? 0) - l.at) <= Math.abs((temps[i]?.at ?? 0) - l.at)) i++;
    const t = temps[i];
    if (t === undefined || Math.abs(t.at - l.at) > reach) return l;
    const factor = 1 + alpha * (t.celsius - REFERENCE_CELSIUS);
    return { at: l.at, percent: l.percent / factor, litres: l.litres === null ? null : l.litres / factor };
  });
}
