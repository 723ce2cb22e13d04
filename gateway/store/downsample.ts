/**
 * Downsampling as arithmetic: groups rows of one sensor into time buckets and
 * merges each group into one row of min/avg/max/count that keeps the first seq and
 * the last seq it replaces. Merging already-downsampled rows weights them by count,
 * so a 1 h bucket made of 5 min buckets is the same as one made of raw readings.
 */
import type { ReadingRow } from './row-codec.js';

/** The columns a merged row gets; `seq` names the row that is kept and rewritten. */
export interface MergedRow {
  readonly seq: number;
  readonly ts: number;
  readonly value: number;
  readonly raw: number | null;
  readonly percent: number | null;
  readonly litres: number | null;
  readonly ppm: number | null;
  readonly quality: string;
  readonly clock_synced: number;
  readonly seq_end: number;
  readonly ts_end: number;
  readonly min: number;
  readonly max: number;
  readonly count: number;
}

export interface BucketPlan {
  readonly merged: MergedRow;
  /** Rows replaced by `merged` (all of the group but the kept one). */
  readonly deleted: readonly number[];
  readonly rowsIn: number;
}

/** Groups rows by sensor, unit and bucket; returns a plan for every group of two or more rows. */
export function planBuckets(rows: readonly ReadingRow[], bucketMs: number): BucketPlan[] {
  const groups = new Map<string, ReadingRow[]>();
  for (const row of rows) {
    const key = `${row.sensor_id}\u0000${row.unit}\u0000${Math.floor(row.ts / bucketMs)}`;
    const group = groups.get(key);
    if (group === undefined) groups.set(key, [row]);
    else group.push(row);
  }
  const plans: BucketPlan[] = [];
  for (const group of groups.values()) {
    if (group.length < 2) continue;
    const merged = mergeRows(group);
    plans.push({ merged, deleted: group.map((r) => r.seq).filter((seq) => seq !== merged.seq), rowsIn: group.length });
  }
  return plans;
}

export function mergeRows(rows: readonly ReadingRow[]): MergedRow {
  const first = rows[0];
  if (first === undefined) throw new RangeError('mergeRows needs at least one row');
  let seq = first.seq;
  let seqEnd = first.seq_end ?? first.seq;
  let ts = first.ts;
  let tsEnd = first.ts_end ?? first.ts;
  let min = Infinity;
  let max = -Infinity;
  let count = 0;
  let synced = 1;
  const qualities = new Map<string, number>();
  for (const row of rows) {
    const n = row.count ?? 1;
    seq = Math.min(seq, row.seq);
    seqEnd = Math.max(seqEnd, row.seq_end ?? row.seq);
    ts = Math.min(ts, row.ts);
    tsEnd = Math.max(tsEnd, row.ts_end ?? row.ts);
    min = Math.min(min, row.min ?? row.value);
    max = Math.max(max, row.max ?? row.value);
    count += n;
    if (row.clock_synced !== 1) synced = 0;
    qualities.set(row.quality, (qualities.get(row.quality) ?? 0) + n);
  }
  return {
    seq,
    ts,
    value: weightedMean(rows, (r) => r.value) ?? first.value,
    raw: weightedMean(rows, (r) => r.raw),
    percent: weightedMean(rows, (r) => r.percent),
    litres: weightedMean(rows, (r) => r.litres),
    ppm: weightedMean(rows, (r) => r.ppm),
    quality: summaryQuality(qualities),
    clock_synced: synced,
    seq_end: seqEnd,
    ts_end: tsEnd,
    min,
    max,
    count,
  };
}

function weightedMean(rows: readonly ReadingRow[], pick: (r: ReadingRow) => number | null): number | null {
  let sum = 0;
  let weight = 0;
  for (const row of rows) {
    const x = pick(row);
    if (x === null) continue;
    const n = row.count ?? 1;
    sum += x * n;
    weight += n;
  }
  return weight > 0 ? sum / weight : null;
}

/** 'ok' only when every reading was ok; otherwise the most frequent of the other qualities. */
function summaryQuality(qualities: ReadonlyMap<string, number>): string {
  let worst: string | undefined;
  let worstCount = 0;
  for (const [quality, n] of qualities) {
    if (quality !== 'ok' && n > worstCount) {
      worst = quality;
      worstCount = n;
    }
  }
  return worst ?? 'ok';
}
