/**
 * Rollups against the raw computation: a gateway sends raw readings, resends
 * them, replaces some with downsampled summaries, and retention prunes the old
 * raw rows; after each step every history and level series answer (from the
 * rollups, with raw edges) must equal what the readings themselves give, computed
 * here from a model of what the cloud holds.
 */
import assert from 'node:assert/strict';
import type { IngestBatch, ReadingRecord } from '../../../protocol/index.js';
import type { Repository } from '../repository.js';
import type { HistoryPoint, LevelPoint } from '../types.js';
import type { ContractTest } from './repository-contract.js';
import { batch, notifyNothing, seedGateway, seedUser } from './seed.js';
import { prng } from '../../test-support/prng.js';

const HOUR = 3_600_000;
const START = Date.UTC(2026, 0, 10, 7, 3, 11);

/** Raw readings of two sensors, interleaved, ~40 s apart over ~9 hours, with noisy rows and missing litres. */
function rawReadings(count: number): ReadingRecord[] {
  const random = prng(15);
  let at = START;
  return Array.from({ length: count }, (_, i) => {
    at += 20_000 + Math.floor(random() * 40_000);
    const value = Math.round(random() * 10_000) / 100;
    const sensorId = i % 3 === 2 ? 'tank' : 'lpg';
    return {
      record: 'reading' as const,
      seq: i + 1,
      sensorId,
      sensorKind: 'level' as const,
      at,
      value,
      unit: '%',
      percent: value,
      ...(i % 7 === 0 ? {} : { litres: value / 4 }),
      quality: random() < 0.1 ? ('noisy' as const) : ('ok' as const),
      clockSynced: true,
    };
  });
}

/** The cloud's readings, as the protocol says it must hold them: by seq, summaries in place of what they cover. */
class Model {
  readonly rows = new Map<number, ReadingRecord>();

  apply(records: readonly ReadingRecord[]): void {
    for (const r of records) {
      const held = this.rows.get(r.seq);
      const count = (x: ReadingRecord): number => x.downsampled?.count ?? 1;
      if (held !== undefined && count(held) >= count(r)) continue;
      if (this.isCovered(r)) continue;
      this.rows.set(r.seq, r);
      const d = r.downsampled;
      if (d === undefined) continue;
      for (const [seq, other] of this.rows) {
        if (other.sensorId === r.sensorId && seq > r.seq && seq <= d.seqEnd && other.at >= r.at && other.at <= d.atEnd) this.rows.delete(seq);
      }
    }
  }

  isCovered(r: ReadingRecord): boolean {
    for (const s of this.rows.values()) {
      const d = s.downsampled;
      if (d !== undefined && s.sensorId === r.sensorId && r.seq > s.seq && r.seq <= d.seqEnd && r.at >= s.at && r.at <= d.atEnd) return true;
    }
    return false;
  }

  history(sensorId: string, from: number, to: number, bucket: number): HistoryPoint[] {
    const buckets = new Map<number, { min: number; max: number; sum: number; count: number }>();
    for (const r of this.rows.values()) {
      if (r.sensorId !== sensorId || r.at < from || r.at >= to) continue;
      const at = Math.floor(r.at / bucket) * bucket;
      const count = r.downsampled?.count ?? 1;
      const b = buckets.get(at) ?? { min: Infinity, max: -Infinity, sum: 0, count: 0 };
      b.min = Math.min(b.min, r.downsampled?.min ?? r.value);
      b.max = Math.max(b.max, r.downsampled?.max ?? r.value);
      b.sum += r.value * count;
      b.count += count;
      buckets.set(at, b);
    }
    return [...buckets.entries()].sort((a, b) => a[0] - b[0]).map(([at, b]) => ({ at, min: b.min, avg: b.sum / b.count, max: b.max, count: b.count }));
  }

  levels(sensorId: string, from: number, to: number, bucket: number): LevelPoint[] {
    const buckets = new Map<number, { p: number; pn: number; l: number; ln: number }>();
    for (const r of this.rows.values()) {
      if (r.sensorId !== sensorId || r.at < from || r.at >= to || r.quality !== 'ok') continue;
      const at = Math.floor(r.at / bucket) * bucket;
      const count = r.downsampled?.count ?? 1;
      const b = buckets.get(at) ?? { p: 0, pn: 0, l: 0, ln: 0 };
      if (r.percent !== undefined) {
        b.p += r.percent * count;
        b.pn += count;
      }
      if (r.litres !== undefined) {
        b.l += r.litres * count;
        b.ln += count;
      }
      buckets.set(at, b);
    }
    return [...buckets.entries()]
      .sort((a, b) => a[0] - b[0])
      .map(([at, b]) => ({ at, percent: b.pn > 0 ? b.p / b.pn : null, litres: b.ln > 0 ? b.l / b.ln : null }));
  }
}

/** A summary of one sensor's rows among seqs first..last, as a gateway under disk pressure makes it. */
function summarise(rows: readonly ReadingRecord[], sensorId: string, first: number, last: number): ReadingRecord {
  const mine = rows.filter((r) => r.sensorId === sensorId && r.seq >= first && r.seq <= last);
  const head = mine[0];
  const tail = mine[mine.length - 1];
  if (head === undefined || tail === undefined) throw new Error('nothing to summarise');
  const avg = mine.reduce((n, r) => n + r.value, 0) / mine.length;
  return {
    ...head,
    value: avg,
    percent: avg,
    litres: avg / 4,
    quality: 'ok',
    downsampled: { seqEnd: tail.seq, atEnd: tail.at, count: mine.length, min: Math.min(...mine.map((r) => r.value)), max: Math.max(...mine.map((r) => r.value)) },
  };
}

const close = (a: number, b: number): boolean => Math.abs(a - b) <= 1e-9 * Math.max(1, Math.abs(a), Math.abs(b));

function assertSeries<T extends { at: number }>(actual: readonly T[], expected: readonly T[], label: string): void {
  assert.equal(actual.length, expected.length, `${label}: ${actual.length} points, expected ${expected.length}`);
  expected.forEach((e, i) => {
    const a = actual[i] as unknown as Record<string, number | null>;
    for (const [key, value] of Object.entries(e as unknown as Record<string, number | null>)) {
      const got = a[key];
      const same = value === null || got === null || got === undefined ? value === got : close(got, value);
      assert.ok(same, `${label} at ${new Date(e.at).toISOString()}: ${key} ${String(got)}, expected ${String(value)}`);
    }
  });
}

export function rollupContract(test: ContractTest, repo: () => Repository): void {
  test('rollups answer history and levels exactly as the raw readings do, through resends, summaries and retention', async () => {
    const owner = await seedUser(repo());
    const gw = await seedGateway(repo(), owner);
    const raw = rawReadings(900);
    const batches: IngestBatch[] = [];
    for (let i = 0; i < raw.length; i += 100) batches.push(batch(i, Math.min(raw.length, i + 100), raw.slice(i, i + 100)));
    const model = new Model();
    const send = async (b: IngestBatch): Promise<number> => {
      model.apply(b.records.filter((r): r is ReadingRecord => r.record === 'reading'));
      return (await repo().ingest.ingest(gw.id, b, START, notifyNothing)).stored;
    };

    const check = async (step: string, { rawGone = 0 } = {}): Promise<void> => {
      for (const sensorId of ['lpg', 'tank']) {
        const sensor = await repo().readings.sensor(owner.id, `${gw.id}:${sensorId}`);
        assert.ok(sensor);
        const ranges: [number, number][] = [
          [START - HOUR, START + 12 * HOUR],
          [START + 17 * 60_000 + 3, START + 7 * HOUR + 41_000],
        ];
        for (const [from, to] of ranges) {
          for (const bucket of [300_000, 900_000, HOUR, 3 * HOUR, 24 * HOUR, 60_000]) {
            // Sub-5-minute buckets read raw rows, which retention removes: compare them only where raw rows remain.
            // Coarser ones read the rollups, which round a pruned end of the range out to 5 minutes.
            const start = bucket % 300_000 !== 0 ? Math.max(from, rawGone) : from < rawGone ? Math.floor(from / 300_000) * 300_000 : from;
            const label = `${step}: ${sensorId} history ${bucket / 60_000} min over ${new Date(start).toISOString()}..`;
            const asked = bucket % 300_000 !== 0 ? start : from;
            assertSeries(await repo().readings.history(sensor.key, asked, to, bucket), model.history(sensorId, start, to, bucket), label);
          }
          const levelFrom = from < rawGone ? Math.floor(from / 300_000) * 300_000 : from;
          assertSeries(await repo().readings.levelSeries(sensor.key, from, to, HOUR), model.levels(sensorId, levelFrom, to, HOUR), `${step}: ${sensorId} levels`);
        }
      }
    };

    for (const b of batches) await send(b);
    await check('raw');
    for (const b of batches.slice(2, 5)) assert.equal(await send(b), 0, 'a resend stores nothing');
    await check('after resends');

    // Under disk pressure the gateway merges lpg rows into summaries and resends those batches.
    const s1 = summarise(raw, 'lpg', 101, 160);
    const s2 = summarise(raw, 'lpg', 161, 200);
    const s3 = summarise(raw, 'tank', 403, 497);
    await send(batch(100, 200, [s1, s2, ...raw.slice(100, 200).filter((r) => r.sensorId !== 'lpg')]));
    await send(batch(400, 500, [s3, ...raw.slice(400, 500).filter((r) => r.sensorId !== 'tank' || r.seq < 403)]));
    await check('after summaries');
    // A bigger summary replaces the smaller ones it covers; then every original batch arrives again, late.
    await send(batch(100, 200, [summarise(raw, 'lpg', 101, 200), ...raw.slice(100, 200).filter((r) => r.sensorId !== 'lpg')]));
    for (const b of batches) assert.equal(await send(b), 0, 'a late raw batch stores nothing a summary covers');
    await check('after late resends');

    // Retention prunes the first three hours' raw rows; the rollups keep answering, and resends stay duplicates.
    const horizon = Math.floor(START / HOUR) * HOUR + 3 * HOUR;
    for (const sensorKey of await repo().retention.sensorsWithRawBefore(horizon)) {
      while ((await repo().retention.pruneRaw(sensorKey, horizon, 50)) === 50);
    }
    assert.deepEqual(await repo().retention.sensorsWithRawBefore(horizon), []);
    await check('after retention', { rawGone: horizon });
    for (const b of batches) assert.equal(await send(b), 0, 'a resend of pruned readings stores nothing');
    await check('after resends of pruned readings', { rawGone: horizon });
  });
}
