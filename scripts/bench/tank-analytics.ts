/**
 * A tank's analytics over a year with 1 M readings stored (issue 20 item 6): the
 * readings go through the real ingest (POST /api/sensors/data, SQLite) into the
 * rollups; then GET /api/tanks/:id/analytics is timed (it reads ≤ 9,432 hourly rows,
 * whatever the number of readings). Beside it, in the same run: reading the same
 * year's raw readings (7-minute buckets, which no rollup divides, so every reading
 * is read), which is what a per-request scan would cost before any analysis.
 */
import type { ReadingRecord } from '../../cloud-sync/protocol/index.js';
import { call, claimGateway, signUp, startHarness } from '../../cloud-sync/server/test-support/harness.js';
import { newTank, supplierProfile } from '../../cloud-sync/server/test-support/order-world.js';
import { percentile, type Bench, type BenchContext, type Figure } from './harness.js';

const DAY = 86_400_000;
const BATCH = 5_000;

/** A 1,000 L tank over a year: meals' use, a refill when it reaches 20 %, ±0.3 % noise. */
function yearOfReadings(count: number, start: number): ReadingRecord[] {
  const step = (365 * DAY) / count;
  let level = 85;
  let noise = 12345;
  const out: ReadingRecord[] = [];
  for (let i = 0; i < count; i++) {
    const at = Math.round(start + i * step);
    const hour = new Date(at).getUTCHours();
    if ([7, 12, 18, 19].includes(hour)) level -= (0.6 * step) / 3_600_000;
    if (level < 20) level = 85;
    noise = (noise * 1103515245 + 12345) % 2 ** 31;
    const percent = Math.round((level + (noise / 2 ** 31 - 0.5) * 0.6) * 100) / 100;
    out.push({ record: 'reading', seq: i + 1, sensorId: 'tank', sensorKind: 'level', at, value: percent, unit: '%', percent, litres: percent * 10, quality: 'ok', clockSynced: true });
  }
  return out;
}

async function timed(runs: number, fn: () => Promise<unknown>): Promise<number[]> {
  const times: number[] = [];
  for (let i = 0; i < runs; i++) {
    const t = performance.now();
    await fn();
    times.push(performance.now() - t);
  }
  return times;
}

export const tankAnalyticsBench: Bench = {
  name: 'tank-analytics',
  description: "a tank's analytics over a year with 1 M readings stored, against reading the year's raw readings",
  async run(context: BenchContext): Promise<Figure[]> {
    const count = context.quick ? 50_000 : 1_000_000;
    const h = await startHarness({ ingestBodyLimitBytes: 8 * 1024 * 1024, ingestRateLimit: { max: 1_000_000, windowMs: 60_000 }, authRateLimit: { max: 1_000, windowMs: 60_000 } });
    try {
      const user = await signUp(h.app);
      const supplier = await supplierProfile(h, await signUp(h.app, 'Gas Co', 'supplier'));
      const gw = await claimGateway(h.app, user.token);
      const now = h.clock.now();
      const records = yearOfReadings(count, now - 365 * DAY);
      const ingestStart = performance.now();
      for (let b = 0; b < records.length; b += BATCH) {
        const batch = records.slice(b, b + BATCH);
        const ack = await call(h.app, 'POST', '/api/sensors/data', { token: gw.credential, body: { afterSeq: b, lastSeq: b + batch.length, records: batch } });
        if (ack.status !== 200) throw new Error(`ingest answered ${ack.status}: ${ack.text}`);
      }
      context.log(`ingested ${count.toLocaleString('en')} readings in ${((performance.now() - ingestStart) / 1000).toFixed(1)} s`);
      const tankId = await newTank(h, user.token, supplier.id, { sensorId: `${gw.gatewayId}:tank` });
      const sensor = await h.repo.readings.sensor(user.userId, `${gw.gatewayId}:tank`);
      if (sensor === undefined) throw new Error('the sensor was not stored');

      const analytics = () => call(h.app, 'GET', `/api/tanks/${tankId}/analytics`, { token: user.token, query: { tz: 'Europe/London' } });
      const first = await analytics();
      if (first.status !== 200) throw new Error(`analytics answered ${first.status}: ${first.text}`);
      const route = await timed(context.quick ? 5 : 20, analytics);
      const raw = await timed(3, () => h.repo.readings.levelSeries(sensor.key, now - 365 * DAY, now, 7 * 60_000));
      const rss = process.memoryUsage().rss / 1024 / 1024;
      return [
        {
          name: "tank analytics over a year (GET /api/tanks/:id/analytics), p50",
          value: percentile(route, 50),
          unit: 'ms',
          baseline: percentile(raw, 50),
          baselineName: "reading the year's raw readings (no analysis)",
          target: { on: 'value', op: '<', limit: 100 },
          note: `${count.toLocaleString('en')} readings stored; p95 ${percentile(route, 95).toFixed(1)} ms; answer ${(first.text.length / 1024).toFixed(0)} KiB; RSS ${rss.toFixed(0)} MiB`,
        },
      ];
    } finally {
      await h.close();
    }
  },
};
