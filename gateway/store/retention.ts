/**
 * The size budget (docs/architecture.md, "Bounded storage"). Used size is (page_count − freelist) ×
 * page_size. Over budget, in order, until below targetRatio of it:
 *   1. delete the oldest readings the cloud has acknowledged (seq ≤ acked);
 *   2. downsample the oldest unacknowledged readings per sensor into bucketsMs[0] buckets;
 *   3. then into each coarser bucket size.
 * Events are never touched. Every prune and downsample is counted in the counters table.
 * Readings still pending in the journal are not in SQLite: `beforeShrink` moves them
 * in first (the store's transfer), so the budget is judged on everything.
 */
import type BetterSqlite3 from 'better-sqlite3';
import type { Clock } from '../../hardware/clock.js';
import { silentLogger, type Logger } from '../../hardware/logger.js';
import { planBuckets, type BucketPlan } from './downsample.js';
import type { GatewayStore } from './gateway-store.js';
import { ReadingIds } from './reading-ids.js';
import { READING_COLUMNS, type ReadingRow } from './row-codec.js';

export interface RetentionConfig {
  /** The budget for the database's used pages. Default 200 MB. */
  readonly maxSizeBytes: number;
  /** Once over budget, shrink to this fraction of it. Default 0.9. */
  readonly targetRatio: number;
  /** maybeRun() runs at most this often. Default 60 s. */
  readonly minIntervalMs: number;
  /** Rows per delete or downsample transaction. Default 2000. */
  readonly chunkRows: number;
  /** Downsampling bucket sizes, finest first. Default 5 min, then 1 h. */
  readonly bucketsMs: readonly number[];
}

export const DEFAULT_RETENTION: RetentionConfig = Object.freeze({
  maxSizeBytes: 200 * 1000 * 1000,
  targetRatio: 0.9,
  minIntervalMs: 60_000,
  chunkRows: 2000,
  bucketsMs: Object.freeze([5 * 60_000, 60 * 60_000]),
});

export interface RetentionReport {
  readonly budgetBytes: number;
  readonly usedBefore: number;
  readonly usedAfter: number;
  /** Acknowledged readings deleted. */
  readonly pruned: number;
  /** Rows replaced by downsampling, and the rows that replaced them. */
  readonly downsampledIn: number;
  readonly downsampledOut: number;
  /** Still over budget after every step (events alone, or the coarsest buckets, fill it). */
  readonly overBudget: boolean;
}

export class Retention {
  readonly config: RetentionConfig;
  readonly #store: GatewayStore;
  readonly #clock: Clock;
  readonly #logger: Logger;
  readonly #beforeShrink: () => void;
  #lastRun = -Infinity;

  /** `beforeShrink` runs once a run has found the store over budget, before anything is pruned; it must not throw. */
  constructor(
    store: GatewayStore,
    clock: Clock,
    config: Partial<RetentionConfig> = {},
    logger: Logger = silentLogger,
    beforeShrink: () => void = () => undefined,
  ) {
    this.config = { ...DEFAULT_RETENTION, ...config };
    this.#store = store;
    this.#clock = clock;
    this.#logger = logger;
    this.#beforeShrink = beforeShrink;
  }

  /** Runs when minIntervalMs has passed since the last run; returns its report, or undefined. */
  maybeRun(): RetentionReport | undefined {
    const now = this.#clock.monotonic();
    if (now - this.#lastRun < this.config.minIntervalMs) return undefined;
    return this.run();
  }

  run(): RetentionReport {
    this.#lastRun = this.#clock.monotonic();
    const budgetBytes = this.config.maxSizeBytes;
    const usedFirst = this.#store.usedBytes();
    if (usedFirst <= budgetBytes) {
      return { budgetBytes, usedBefore: usedFirst, usedAfter: usedFirst, pruned: 0, downsampledIn: 0, downsampledOut: 0, overBudget: false };
    }
    this.#beforeShrink();
    const usedBefore = this.#store.usedBytes();
    const target = budgetBytes * this.config.targetRatio;
    const db = this.#store.connection;
    const pruned = this.#prune(db, target);
    let downsampledIn = 0;
    let downsampledOut = 0;
    for (const bucketMs of this.config.bucketsMs) {
      if (this.#store.usedBytes() <= target) break;
      const result = this.#downsample(db, target, bucketMs);
      downsampledIn += result.rowsIn;
      downsampledOut += result.rowsOut;
    }
    db.pragma('incremental_vacuum'); // hand the freed pages back to the file system
    const usedAfter = this.#store.usedBytes();
    const overBudget = usedAfter > budgetBytes;
    this.#store.addCounters({ retention_runs: 1, over_budget: overBudget ? 1 : 0 });
    const report = { budgetBytes, usedBefore, usedAfter, pruned, downsampledIn, downsampledOut, overBudget };
    if (overBudget) {
      this.#logger.warn(report, 'store is still over its size budget: only events and coarse buckets are left');
    } else {
      this.#logger.info(report, 'store was over its size budget: pruned synced readings, downsampled unsynced ones');
    }
    return report;
  }

  /** Step 1: the oldest acknowledged readings go first; the cloud has them. */
  #prune(db: BetterSqlite3.Database, target: number): number {
    const del = db.prepare(
      'DELETE FROM readings WHERE seq IN (SELECT seq FROM readings WHERE seq <= ? ORDER BY seq LIMIT ?)',
    );
    const bump = bumpStatement(db);
    let pruned = 0;
    while (this.#store.usedBytes() > target) {
      const acked = this.#store.ackedSeq;
      const deleted = db.transaction(() => {
        const n = del.run(acked, this.config.chunkRows).changes;
        if (n > 0) {
          bump.run('pruned_readings', n);
          bump.run('prune_batches', 1);
        }
        return n;
      }).immediate();
      pruned += deleted;
      if (deleted === 0) break;
    }
    return pruned;
  }

  /** Steps 2 and 3: merge the oldest rows not yet handed to the cloud, chunk by chunk, oldest first. */
  #downsample(db: BetterSqlite3.Database, target: number, bucketMs: number): { rowsIn: number; rowsOut: number } {
    const select = db.prepare(`SELECT ${READING_COLUMNS} FROM reading_rows WHERE seq > ? ORDER BY seq LIMIT ?`);
    const update = db.prepare(`UPDATE readings SET ts = @ts, value = @value, raw = @raw, percent = @percent,
      litres = @litres, ppm = @ppm, quality = @qualityCode, clock_synced = @clock_synced,
      summary = json_array(@seq_end, @ts_end, @min, @max, @count) WHERE seq = @seq`);
    const del = db.prepare('DELETE FROM readings WHERE seq = ?');
    const bump = bumpStatement(db);
    let cursor = this.#store.protectedThrough;
    let rowsIn = 0;
    let rowsOut = 0;
    while (this.#store.usedBytes() > target) {
      const rows = select.all(cursor, this.config.chunkRows) as ReadingRow[];
      const last = rows.at(-1);
      if (last === undefined) break;
      cursor = last.seq;
      const plans: BucketPlan[] = planBuckets(rows, bucketMs);
      if (plans.length === 0) continue;
      const chunkIn = plans.reduce((sum, p) => sum + p.rowsIn, 0);
      db.transaction(() => {
        const ids = new ReadingIds(db);
        for (const plan of plans) {
          update.run({ ...plan.merged, qualityCode: ids.quality(plan.merged.quality) });
          for (const seq of plan.deleted) del.run(seq);
        }
        bump.run('downsampled_rows_in', chunkIn);
        bump.run('downsampled_rows_out', plans.length);
        bump.run('downsample_batches', 1);
      }).immediate();
      rowsIn += chunkIn;
      rowsOut += plans.length;
    }
    return { rowsIn, rowsOut };
  }
}

function bumpStatement(db: BetterSqlite3.Database): BetterSqlite3.Statement {
  return db.prepare(
    'INSERT INTO counters (name, value) VALUES (?, ?) ON CONFLICT (name) DO UPDATE SET value = value + excluded.value',
  );
}
