/**
 * Readings that are durable in the journal but not yet in SQLite, held in memory
 * (bounded by the transfer threshold) so that every query answers as if they were
 * stored: the merge helpers below combine them with SQLite's rows.
 */
import type { StoredReading } from './records.js';
import { storedReading, type ReadingRow } from './row-codec.js';

export class PendingReadings {
  /** Ascending seq. */
  #rows: ReadingRow[] = [];

  get size(): number {
    return this.#rows.length;
  }

  get rows(): readonly ReadingRow[] {
    return this.#rows;
  }

  /** The lowest pending seq, undefined when none. */
  get minSeq(): number | undefined {
    return this.#rows[0]?.seq;
  }

  /** The highest pending seq, 0 when none. */
  get maxSeq(): number {
    return this.#rows.at(-1)?.seq ?? 0;
  }

  /** Adds rows; a seq already pending is kept once (a replay never doubles a row). */
  push(rows: readonly ReadingRow[]): void {
    for (const row of rows) {
      const last = this.#rows.at(-1);
      if (last === undefined || row.seq > last.seq) {
        this.#rows.push(row);
        continue;
      }
      const at = this.#firstAfter(row.seq - 1);
      if (this.#rows[at]?.seq !== row.seq) this.#rows.splice(at, 0, row);
    }
  }

  clear(): void {
    this.#rows = [];
  }

  /** Up to `limit` rows with seq > `seq`, ascending. */
  after(seq: number, limit: number): StoredReading[] {
    const from = this.#firstAfter(seq);
    return this.#rows.slice(from, from + limit).map(storedReading);
  }

  countAfter(seq: number): number {
    return this.#rows.length - this.#firstAfter(seq);
  }

  /** One sensor's rows with since ≤ at < until, by (at, seq). */
  forSensor(sensorId: string, since: number, until: number): StoredReading[] {
    return this.#rows
      .filter((r) => r.sensor_id === sensorId && r.ts >= since && r.ts < until)
      .map(storedReading)
      .sort(byTimeThenSeq);
  }

  /** The newest row (by time, then seq) of every sensor that has one pending. */
  latestBySensor(): StoredReading[] {
    const latest = new Map<string, ReadingRow>();
    for (const row of this.#rows) {
      const best = latest.get(row.sensor_id);
      if (best === undefined || row.ts > best.ts || (row.ts === best.ts && row.seq > best.seq)) latest.set(row.sensor_id, row);
    }
    return [...latest.values()].map(storedReading);
  }

  /** Index of the first row with seq > `seq` (binary search). */
  #firstAfter(seq: number): number {
    let lo = 0;
    let hi = this.#rows.length;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (this.#rows[mid]!.seq <= seq) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  }
}

/** Sorted lists of records merged into one by seq; a seq present in several lists is kept once (the first list's). */
export function mergeBySeq<T extends { readonly seq: number }>(lists: readonly (readonly T[])[]): T[] {
  const seen = new Set<number>();
  const out: T[] = [];
  for (const list of lists) {
    for (const record of list) {
      if (seen.has(record.seq)) continue;
      seen.add(record.seq);
      out.push(record);
    }
  }
  return out.sort((a, b) => a.seq - b.seq);
}

/** readingsFor's order (oldest first, as SQLite's ORDER BY ts, seq) over stored and pending rows, cut at `limit`. */
export function mergeByTime(stored: readonly StoredReading[], pending: readonly StoredReading[], limit: number): StoredReading[] {
  if (pending.length === 0 && isByTime(stored)) return stored.slice(0, Math.max(0, limit));
  return mergeBySeq([stored, pending]).sort(byTimeThenSeq).slice(0, Math.max(0, limit));
}

/** The newest row of each sensor among stored and pending ones, ordered by sensor id. */
export function mergeLatest(stored: readonly StoredReading[], pending: readonly StoredReading[]): StoredReading[] {
  const latest = new Map<string, StoredReading>();
  for (const r of [...stored, ...pending]) {
    const best = latest.get(r.sensorId);
    if (best === undefined || byTimeThenSeq(r, best) > 0) latest.set(r.sensorId, r);
  }
  return [...latest.values()].sort((a, b) => (a.sensorId < b.sensorId ? -1 : a.sensorId > b.sensorId ? 1 : 0));
}

/** True when already in readingsFor's order (one series' rows are; several series' rows, one after the other, may not be). */
function isByTime(list: readonly StoredReading[]): boolean {
  for (let i = 1; i < list.length; i++) if (byTimeThenSeq(list[i - 1]!, list[i]!) > 0) return false;
  return true;
}

function byTimeThenSeq(a: StoredReading, b: StoredReading): number {
  return a.at - b.at || a.seq - b.seq;
}
