/**
 * Walks cleaned hourly levels once and tells use from deliveries, noise, glitches
 * and outages:
 * - a fall counts as use once the level is more than the noise floor below the
 *   level counted from, and then in full (a slow drain is quantised, never lost);
 *   a small rise is not "negative use" and moves that level up only when it holds;
 * - a rise of at least `refillPercent` that the next row confirms is a delivery
 *   (consecutive rising rows are one delivery: a fill straddling an hour);
 * - a jump (either way) of at least `refillPercent` that the next row does not
 *   confirm is a glitch and is skipped, so one bad reading spoils nothing;
 * - where rows are more than `maxGapMs` apart the change across the gap is kept
 *   as an outage with its unattributed fall, never spread over hours as use.
 */
import { HOUR } from './local-time.js';
import type { Level } from './level-series.js';

export interface Fall {
  /** The hourly row the fall was seen at. */
  readonly at: number;
  readonly percent: number;
}

export interface Delivery {
  /** The first row showing the rise. */
  readonly at: number;
  readonly beforePercent: number;
  readonly afterPercent: number;
  /** The last row of the rise (a fill straddling an hour shows on two rows). */
  readonly lastRiseAt: number;
  /** (after − before) × capacity, when the capacity is known. */
  readonly litres: number | null;
}

export interface Outage {
  readonly from: number;
  readonly to: number;
  /** The fall across the outage (not attributed to any hour); 0 when the level rose. */
  readonly unattributedPercent: number;
}

export interface Glitch {
  readonly at: number;
  readonly percent: number;
}

export interface LevelWalk {
  readonly levels: readonly Level[];
  readonly falls: readonly Fall[];
  readonly deliveries: readonly Delivery[];
  readonly outages: readonly Outage[];
  readonly glitches: readonly Glitch[];
  /** The level the walk ended on (the counted-from level), or null with no data. */
  readonly current: Level | null;
}

export interface WalkOptions {
  readonly capacityLitres?: number | null;
  /** Default 0.5 percentage points. */
  readonly noiseFloorPercent?: number;
  /** Default 5 (% of capacity). */
  readonly refillPercent?: number;
  /** Default 3 h. */
  readonly maxGapMs?: number;
  /** Rows a small rise must hold before it is the new level counted from. Default 12. */
  readonly settleRows?: number;
}

export function walkLevels(levels: readonly Level[], options: WalkOptions = {}): LevelWalk {
  const floor = options.noiseFloorPercent ?? 0.5;
  const refill = options.refillPercent ?? 5;
  const maxGap = options.maxGapMs ?? 3 * HOUR;
  const capacity = options.capacityLitres ?? null;
  const falls: Fall[] = [];
  const deliveries: Delivery[] = [];
  const outages: Outage[] = [];
  const glitches: Glitch[] = [];
  const settleRows = options.settleRows ?? 12;
  const above: Level[] = [];
  let ref = levels[0];
  let prevAt = ref?.at ?? 0;
  for (let i = 1; i < levels.length; i++) {
    const p = levels[i];
    if (p === undefined || ref === undefined) continue;
    const change = p.percent - ref.percent;
    const next = levels[i + 1];
    const gap = p.at - prevAt > maxGap;
    if (gap) outages.push({ from: prevAt, to: p.at, unattributedPercent: Math.max(0, -change) });
    if (Math.abs(change) >= refill) {
      // A big step must hold on the next row; the last row waits for its confirmation.
      const holds = next !== undefined && (change > 0 ? next.percent >= ref.percent + refill / 2 : next.percent <= ref.percent - refill / 2);
      if (!holds) {
        if (next !== undefined) glitches.push({ at: p.at, percent: p.percent });
        continue;
      }
      if (change > 0) {
        let top = p;
        while (i + 1 < levels.length) {
          const n = levels[i + 1];
          if (n === undefined || n.at - top.at > maxGap || n.percent <= top.percent + floor) break;
          top = n;
          i++;
        }
        const litres = capacity !== null && capacity > 0 ? ((top.percent - ref.percent) / 100) * capacity : null;
        deliveries.push({ at: p.at, lastRiseAt: top.at, beforePercent: ref.percent, afterPercent: top.percent, litres });
        ref = top;
        prevAt = top.at;
        continue;
      }
    }
    prevAt = p.at;
    if (gap) {
      ref = p;
      above.length = 0;
    } else if (-change > floor) {
      falls.push({ at: p.at, percent: -change });
      ref = p;
      above.length = 0;
    } else if (change > 2 * floor) {
      // A small rise moves the level counted from only once it has held for `settleRows` rows (a
      // small top-up), and then only to the lowest of them: a noisy high or a warm afternoon that
      // falls back must not be counted as use again.
      above.push(p);
      if (above.length >= settleRows) {
        ref = above.reduce((low, x) => (x.percent < low.percent ? x : low));
        above.length = 0;
      }
    } else {
      above.length = 0;
    }
  }
  return { levels, falls, deliveries, outages, glitches, current: ref ?? null };
}
