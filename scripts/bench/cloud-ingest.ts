/**
 * The cloud API's benchmark (issue 5), on SQLite and on PostgreSQL:
 * - ingest readings/s: 4 gateways posting batches of 500 concurrently over loopback
 *   HTTP to the API in its own process, against a raw batched insert of the same rows
 *   into the same database (same table, 500 per transaction) in the same run;
 * - p99 latency of a bucketed history query (a year of one sensor, ~365 points) over
 *   1,000,000 readings through HTTP, against the same aggregate SQL run directly.
 * PostgreSQL runs in a fresh schema on 127.0.0.1:5432 and is skipped when unreachable.
 * --quick shrinks everything to a few seconds.
 */
import type { ReadingRecord } from '../../cloud-sync/protocol/index.js';
import { openBaseline, type Baseline } from './cloud-baselines.js';
import { cloudTargets, provision, readings, request, startCloudProcess, type CloudProcess, type CloudTarget } from './cloud-fixtures.js';
import { percentile, type Bench, type BenchContext, type Figure } from './harness.js';

const GATEWAYS = 4;
const BATCH = 500;
const YEAR = 365 * 24 * 3_600_000;

interface Sizes {
  readonly batchesPerGateway: number;
  readonly historyRows: number;
  readonly historyQueries: number;
}

const FULL: Sizes = { batchesPerGateway: 60, historyRows: 1_000_000, historyQueries: 20 };
const QUICK: Sizes = { batchesPerGateway: 4, historyRows: 20_000, historyQueries: 8 };

interface Backend extends CloudTarget {
  openBaseline(): Promise<Baseline>;
}

async function backends(context: BenchContext): Promise<Backend[]> {
  return (await cloudTargets(context)).map((target) => ({
    ...target,
    openBaseline: () => openBaseline(target),
  }));
}

/** Bodies are serialised before the clock starts: the load generator should cost the server nothing. */
function batchBodies(gateway: number, count: number, start: number): { body: string; rows: ReadingRecord[] }[] {
  return Array.from({ length: count }, (_, b) => {
    const rows = readings(b * BATCH + 1, BATCH, start + gateway * 1000);
    return { body: JSON.stringify({ afterSeq: b * BATCH, lastSeq: (b + 1) * BATCH, records: rows }), rows };
  });
}

async function ingestFigure(backend: Backend, cloud: CloudProcess, baseline: Baseline, sizes: Sizes, context: BenchContext): Promise<Figure> {
  const { gateways } = await provision(cloud.url, GATEWAYS);
  const start = Date.now() - 30 * 24 * 3_600_000;
  const plans = gateways.map((_, g) => batchBodies(g, sizes.batchesPerGateway + 1, start));
  // One warm-up batch per gateway (JIT, statement caches), then the timed run.
  await Promise.all(gateways.map((gw, g) => request(cloud.url, 'POST', '/api/sensors/data', { token: gw.credential, body: plans[g]?.[0]?.body ?? '' })));
  const began = performance.now();
  await Promise.all(
    gateways.map(async (gw, g) => {
      for (const batch of (plans[g] ?? []).slice(1)) {
        const ack = await request<{ stored: number }>(cloud.url, 'POST', '/api/sensors/data', { token: gw.credential, body: batch.body });
        if (ack.body.stored !== BATCH) throw new Error(`expected ${BATCH} stored, got ${ack.body.stored}`);
      }
    }),
  );
  const seconds = (performance.now() - began) / 1000;
  const rows = GATEWAYS * sizes.batchesPerGateway * BATCH;
  const baselineRate = await baseline.insertRate(plans.map((p) => p.slice(1).map((b) => b.rows)));
  context.log(`${backend.label}: ingest ${rows} readings in ${seconds.toFixed(2)} s over HTTP; raw inserts ${baselineRate.toFixed(0)} rows/s`);
  return {
    name: `cloud ingest ${backend.label}`,
    value: rows / seconds,
    unit: 'readings/s',
    baseline: baselineRate,
    baselineName: `raw batched inserts of the same rows into the same ${backend.label} table`,
    target: { on: 'ratio', op: '>=', limit: 0.25 },
    note: `${GATEWAYS} gateways × ${sizes.batchesPerGateway} batches of ${BATCH}, loopback HTTP, API in its own process`,
  };
}

async function historyFigure(backend: Backend, cloud: CloudProcess, baseline: Baseline, sizes: Sizes, context: BenchContext): Promise<Figure> {
  const { token, gateways } = await provision(cloud.url, 1);
  const gw = gateways[0];
  if (gw === undefined) throw new Error('no gateway');
  await request(cloud.url, 'POST', '/api/devices/heartbeat', {
    token: gw.credential,
    body: { version: 'bench', uptimeSeconds: 1, clock: { synced: true }, backlog: { records: 0 }, sensors: [{ id: 'history', name: 'History', kind: 'level', health: 'ok' }] },
  });
  const from = Date.UTC(2025, 0, 1);
  const loadStart = performance.now();
  const sensorKey = await baseline.bulkLoad(gw.gatewayId, 'history', sizes.historyRows, from, YEAR);
  context.log(`${backend.label}: loaded ${sizes.historyRows} readings in ${((performance.now() - loadStart) / 1000).toFixed(1)} s`);
  const path = `/api/sensors/${gw.gatewayId}:history/history?from=${from}&to=${from + YEAR}`;
  const timeHttp = async (): Promise<number> => {
    const t = performance.now();
    const answer = await request<{ points: unknown[]; bucketMs: number }>(cloud.url, 'GET', path, { token });
    if (answer.body.points.length < 300) throw new Error(`expected ~365 points, got ${answer.body.points.length}`);
    return performance.now() - t;
  };
  const bucketMs = 24 * 3_600_000;
  const timeDirect = async (): Promise<number> => {
    const t = performance.now();
    const points = await baseline.history(sensorKey, from, from + YEAR, bucketMs);
    if (points < 300) throw new Error(`expected ~365 points, got ${points}`);
    return performance.now() - t;
  };
  const http: number[] = [];
  const direct: number[] = [];
  await timeHttp();
  await timeDirect();
  // Interleaved, so drift hits both sides alike.
  for (let i = 0; i < sizes.historyQueries; i++) {
    http.push(await timeHttp());
    direct.push(await timeDirect());
  }
  return {
    name: `cloud history p99 ${backend.label}`,
    value: percentile(http, 99),
    unit: 'ms',
    baseline: percentile(direct, 99),
    baselineName: 'the aggregate over the raw readings, run directly',
    target: { on: 'ratio', op: '<=', limit: 1.5 },
    note: `${sizes.historyRows} readings over a year, 1-day buckets, ${sizes.historyQueries} queries; medians ${percentile(http, 50).toFixed(1)} vs ${percentile(direct, 50).toFixed(1)} ms`,
  };
}

export const cloudIngestBench: Bench = {
  name: 'cloud-ingest',
  description: 'cloud API: ingest readings/s (4 gateways, batches of 500, loopback HTTP) and history p99, on SQLite and PostgreSQL',
  async run(context) {
    const sizes = context.quick ? QUICK : FULL;
    const figures: Figure[] = [];
    for (const backend of await backends(context)) {
      const cloud = await startCloudProcess(backend.db, backend.pgSchema);
      const baseline = await backend.openBaseline();
      try {
        figures.push(await ingestFigure(backend, cloud, baseline, sizes, context));
        figures.push(await historyFigure(backend, cloud, baseline, sizes, context));
      } finally {
        await baseline.close();
        await cloud.stop();
        await backend.cleanup();
      }
    }
    return figures;
  },
};
