import assert from 'node:assert/strict';
import { join } from 'node:path';
import { test, type TestContext } from 'node:test';
import { ManualClock } from '../../hardware/sim/manual-clock.js';
import { GatewayStore } from './gateway-store.js';
import { Retention } from './retention.js';
import { T0, gasEvent, reading, tempDir } from './test-support/fixtures.js';

const BUDGET = 256 * 1024;

/** Three sensors, one reading each per 10 s, plus an event every 500 readings, until past `bytes`. */
function fill(store: GatewayStore, bytes: number, from = 0): number {
  let i = from;
  while (store.usedBytes() <= bytes) {
    const batch = Array.from({ length: 500 }, (_, k) => reading(i + k, { at: T0 + (i + k) * 10_000 }));
    store.appendReadings(batch);
    store.transfer(); // retention works on SQLite's rows
    store.appendEvent(gasEvent({ at: T0 + i * 10_000, message: `event ${i}` }));
    i += 500;
  }
  return i;
}

function setup(t: TestContext): { store: GatewayStore; clock: ManualClock } {
  const store = GatewayStore.open(join(tempDir(t), 'gateway.db'));
  t.after(() => store.close());
  return { store, clock: new ManualClock() };
}

const eventCount = (store: GatewayStore): number =>
  store.connection.prepare('SELECT count(*) FROM events').pluck().get() as number;

test('under budget nothing changes', (t) => {
  const { store, clock } = setup(t);
  store.appendReadings([reading(1)]);
  const report = new Retention(store, clock, { maxSizeBytes: BUDGET, chunkRows: 200 }).run();
  assert.equal(report.pruned + report.downsampledIn, 0);
  assert.equal(report.overBudget, false);
  assert.equal(store.stats().readings, 1);
});

test('over budget, the oldest synced readings go first, down to 90 %; events stay', (t) => {
  const { store, clock } = setup(t);
  fill(store, BUDGET * 1.5);
  const events = eventCount(store);
  const acked = store.ack(Math.floor(store.lastSeq * 0.8));
  const readingsBefore = store.stats().readings;

  const report = new Retention(store, clock, { maxSizeBytes: BUDGET, chunkRows: 200 }).run();

  assert.ok(report.pruned > 0);
  assert.equal(report.downsampledIn, 0, 'acknowledged rows were enough');
  assert.ok(report.usedAfter <= BUDGET * 0.9, `${report.usedAfter} > 90 % of ${BUDGET}`);
  assert.equal(eventCount(store), events);
  const oldest = store.connection.prepare('SELECT min(seq) FROM readings').pluck().get() as number;
  const pruned = store.connection.prepare('SELECT count(*) FROM readings WHERE seq < ?').pluck().get(oldest) as number;
  assert.equal(pruned, 0);
  assert.ok(oldest <= acked, 'pruning stops once under the target: the newest synced rows stay');
  assert.equal(store.stats().readings, readingsBefore - report.pruned);
  const counters = store.counters();
  assert.equal(counters.pruned_readings, report.pruned);
  assert.ok((counters.prune_batches ?? 0) >= 1);
  assert.equal(counters.retention_runs, 1);
});

test('unsynced readings are downsampled, oldest first, into 5 min min/avg/max buckets that keep their seq range', (t) => {
  const { store, clock } = setup(t);
  fill(store, BUDGET * 1.3);
  const events = eventCount(store);
  const before = store.connection.prepare('SELECT seq, sensor_id, ts, value FROM reading_rows ORDER BY seq').all() as
    { seq: number; sensor_id: string; ts: number; value: number }[];

  const report = new Retention(store, clock, { maxSizeBytes: BUDGET, chunkRows: 200 }).run();

  assert.equal(report.pruned, 0, 'nothing is acknowledged, nothing may be deleted');
  assert.ok(report.downsampledIn > 0 && report.downsampledOut > 0);
  assert.ok(report.usedAfter <= BUDGET * 0.9);
  assert.equal(eventCount(store), events);
  const buckets = store.readingsFor('tank-0', { limit: 100_000 }).filter((r) => r.downsampled !== undefined);
  assert.ok(buckets.length > 0);
  for (const bucket of buckets) {
    const span = bucket.downsampled!;
    const replaced = before.filter((r) => r.sensor_id === 'tank-0' && r.seq >= bucket.seq && r.seq <= span.seqEnd);
    assert.equal(replaced.length, span.count, `bucket ${bucket.seq}..${span.seqEnd}`);
    const values = replaced.map((r) => r.value);
    assert.equal(span.min, Math.min(...values));
    assert.equal(span.max, Math.max(...values));
    assert.equal(bucket.value, values.reduce((a, b) => a + b, 0) / values.length);
    assert.equal(Math.floor(bucket.at / 300_000), Math.floor(span.atEnd / 300_000), 'one 5 min bucket');
  }
  // The newest readings are still raw: downsampling went oldest first and stopped at the target.
  const newest = store.readingsFor('tank-0', { limit: 100_000 }).at(-1);
  assert.equal(newest?.downsampled, undefined);
  const counters = store.counters();
  assert.equal(counters.downsampled_rows_in, report.downsampledIn);
  assert.equal(counters.downsampled_rows_out, report.downsampledOut);
  // The outbox still covers every seq: each stored row, raw or bucket, appears once.
  const outboxSeqs = store.outbox(0, { maxRecords: 1_000_000, maxBytes: 1e9 }).map((r) => r.seq);
  assert.equal(new Set(outboxSeqs).size, outboxSeqs.length);
});

test('when 5 min buckets are not enough, coarser 1 h buckets follow', (t) => {
  const { store, clock } = setup(t);
  fill(store, BUDGET * 1.2);
  const report = new Retention(store, clock, { maxSizeBytes: 64 * 1024, chunkRows: 200 }).run();
  const hourly = store
    .readingsFor('tank-0', { limit: 100_000 })
    .filter((r) => r.downsampled !== undefined && r.downsampled.atEnd - r.at > 300_000);
  assert.ok(hourly.length > 0, 'some buckets span more than 5 minutes');
  assert.ok(report.downsampledIn > 0);
});

test('rows handed out by the outbox (in flight) are never rewritten', (t) => {
  const { store, clock } = setup(t);
  fill(store, BUDGET * 1.3);
  const sent = store.outbox(0, { maxRecords: 1000, maxBytes: 1e9 });
  const lastSent = sent.at(-1)!.seq;
  new Retention(store, clock, { maxSizeBytes: BUDGET, chunkRows: 200 }).run();
  const rewritten = store.connection
    .prepare('SELECT count(*) FROM readings WHERE seq <= ? AND summary IS NOT NULL')
    .pluck()
    .get(lastSent) as number;
  assert.equal(rewritten, 0);
  const stillThere = store.connection.prepare('SELECT count(*) FROM readings WHERE seq <= ?').pluck().get(lastSent);
  assert.equal(stillThere, sent.filter((r) => r.record === 'reading').length);
});

test('events alone over budget: reported and counted, never deleted', (t) => {
  const { store, clock } = setup(t);
  for (let i = 0; i < 2000; i++) store.appendEvent(gasEvent({ message: `event ${i} ${'x'.repeat(100)}` }));
  const report = new Retention(store, clock, { maxSizeBytes: 64 * 1024, chunkRows: 200 }).run();
  assert.equal(report.overBudget, true);
  assert.equal(eventCount(store), 2000);
  assert.equal(store.counters().over_budget, 1);
});

test('maybeRun runs at most once per interval', async (t) => {
  const { store, clock } = setup(t);
  const retention = new Retention(store, clock, { maxSizeBytes: BUDGET, minIntervalMs: 60_000 });
  assert.notEqual(retention.maybeRun(), undefined);
  assert.equal(retention.maybeRun(), undefined);
  await clock.advance(59_999);
  assert.equal(retention.maybeRun(), undefined);
  await clock.advance(1);
  assert.notEqual(retention.maybeRun(), undefined);
});

test('freed pages go back to the file system (incremental vacuum)', (t) => {
  const { store, clock } = setup(t);
  fill(store, BUDGET * 2);
  store.ack(store.lastSeq);
  new Retention(store, clock, { maxSizeBytes: BUDGET, chunkRows: 200 }).run();
  assert.equal(store.stats().freelistCount, 0);
});
