/**
 * The cloud under mixed load (issue 15), on SQLite and on PostgreSQL: one sensor
 * holds 1,000,000 readings over a year (bulk-loaded into the API's database, with
 * the rollups ingest would have kept, when the storage has them), then
 * - history p99 with 10 concurrent clients each asking for that year (1-day
 *   buckets), against one client asking alone in the same run;
 * - ingest p99 of a second gateway posting batches of 500 while those 10 clients
 *   run, against the same gateway's batches with nothing else running;
 * - /healthz p99 during the history load, against /healthz alone (in the note).
 * The API runs in its own process; PostgreSQL in a fresh schema, skipped when
 * unreachable. --quick shrinks everything to a few seconds.
 */
import { openBaseline } from './cloud-baselines.js';
import { cloudTargets, provision, readings, startCloudProcess, timedRequest, type CloudProcess, type CloudTarget } from './cloud-fixtures.js';
import { percentile, type Bench, type BenchContext, type Figure } from './harness.js';

const YEAR = 365 * 24 * 3_600_000;
const BATCH = 500;
const CLIENTS = 10;

interface Sizes {
  readonly historyRows: number;
  /** History queries per client under load (after one warm-up each). */
  readonly queriesPerClient: number;
  readonly aloneQueries: number;
  readonly aloneBatches: number;
}

const FULL: Sizes = { historyRows: 1_000_000, queriesPerClient: 6, aloneQueries: 20, aloneBatches: 40 };
const QUICK: Sizes = { historyRows: 5_000, queriesPerClient: 1, aloneQueries: 3, aloneBatches: 3 };

/** A gateway posting batches of 500 one after another until `until()` says stop; returns each batch's latency. */
function ingestLoop(cloud: CloudProcess, credential: string, state: { seq: number }, until: () => boolean, atLeast: number): Promise<number[]> {
  const start = Date.UTC(2026, 0, 1);
  return (async () => {
    const latencies: number[] = [];
    while (latencies.length < atLeast || !until()) {
      const rows = readings(state.seq + 1, BATCH, start);
      const body = JSON.stringify({ afterSeq: state.seq, lastSeq: state.seq + BATCH, records: rows });
      const answer = await timedRequest(cloud.url, 'POST', '/api/sensors/data', { token: credential, body });
      if (answer.status !== 200) throw new Error(`ingest: ${answer.status} ${answer.text.slice(0, 200)}`);
      state.seq += BATCH;
      latencies.push(answer.ms);
    }
    return latencies;
  })();
}

async function measure(target: CloudTarget, cloud: CloudProcess, sizes: Sizes, context: BenchContext): Promise<Figure[]> {
  const label = target.label;
  const { token, gateways } = await provision(cloud.url, 2);
  const [history, writer] = gateways;
  if (history === undefined || writer === undefined) throw new Error('no gateways');
  await timedRequest(cloud.url, 'POST', '/api/devices/heartbeat', {
    token: history.credential,
    body: JSON.stringify({ version: 'bench', uptimeSeconds: 1, clock: { synced: true }, backlog: { records: 0 }, sensors: [{ id: 'history', name: 'History', kind: 'level', health: 'ok' }] }),
  });
  const from = Date.UTC(2025, 0, 1);
  const loadStart = performance.now();
  const baseline = await openBaseline(target);
  try {
    await baseline.bulkLoad(history.gatewayId, 'history', sizes.historyRows, from, YEAR);
  } finally {
    await baseline.close();
  }
  context.log(`${label}: loaded ${sizes.historyRows} readings in ${((performance.now() - loadStart) / 1000).toFixed(1)} s`);

  const path = `/api/sensors/${history.gatewayId}:history/history?from=${from}&to=${from + YEAR}`;
  const ask = async (): Promise<number> => {
    const answer = await timedRequest(cloud.url, 'GET', path, { token });
    if (answer.status !== 200) throw new Error(`history: ${answer.status} ${answer.text.slice(0, 200)}`);
    const points = (JSON.parse(answer.text) as { points: unknown[] }).points.length;
    if (points < 300) throw new Error(`expected ~365 points, got ${points}`);
    return answer.ms;
  };
  const health = async (): Promise<number> => (await timedRequest(cloud.url, 'GET', '/healthz')).ms;

  // Alone: one history client, then ingest and /healthz with nothing else running.
  await ask();
  const historyAlone: number[] = [];
  for (let i = 0; i < sizes.aloneQueries; i++) historyAlone.push(await ask());
  const writerSeq = { seq: 0 };
  const ingestAlone = await ingestLoop(cloud, writer.credential, writerSeq, () => true, sizes.aloneBatches);
  const healthAlone: number[] = [];
  for (let i = 0; i < sizes.aloneQueries; i++) healthAlone.push(await health());

  // Together: 10 history clients, the writer, and a /healthz prober.
  let running = true;
  const clients = Array.from({ length: CLIENTS }, async () => {
    const mine: number[] = [];
    for (let i = 0; i < sizes.queriesPerClient; i++) mine.push(await ask());
    return mine;
  });
  const ingestUnderLoad = ingestLoop(cloud, writer.credential, writerSeq, () => !running, 1);
  const healthUnderLoad = (async () => {
    const mine: number[] = [];
    while (running || mine.length === 0) mine.push(await health());
    return mine;
  })();
  const began = performance.now();
  const historyLoaded = (await Promise.all(clients)).flat();
  running = false;
  const seconds = (performance.now() - began) / 1000;
  const ingestLoaded = await ingestUnderLoad;
  const healthLoaded = await healthUnderLoad;
  context.log(
    `${label}: ${historyLoaded.length} history queries by ${CLIENTS} clients in ${seconds.toFixed(1)} s; ${ingestLoaded.length} ingest batches and ${healthLoaded.length} /healthz meanwhile`,
  );
  const ms = (values: readonly number[], p: number): string => percentile(values, p).toFixed(1);
  return [
    {
      name: `cloud history p99 with ${CLIENTS} clients ${label}`,
      value: percentile(historyLoaded, 99),
      unit: 'ms',
      baseline: percentile(historyAlone, 99),
      baselineName: 'one client alone',
      target: { on: 'value', op: '<=', limit: 1000 },
      note: `${sizes.historyRows} readings over a year, 1-day buckets; medians ${ms(historyLoaded, 50)} vs ${ms(historyAlone, 50)} ms`,
    },
    {
      name: `cloud ingest p99 during history load ${label}`,
      value: percentile(ingestLoaded, 99),
      unit: 'ms',
      baseline: percentile(ingestAlone, 99),
      baselineName: 'the same batches with nothing else running',
      target: { on: 'ratio', op: '<=', limit: 3 },
      note: `batches of ${BATCH}; ${ingestLoaded.length} under load, ${ingestAlone.length} alone; /healthz p99 ${ms(healthLoaded, 99)} ms under load vs ${ms(healthAlone, 99)} ms alone`,
    },
  ];
}

export const cloudConcurrencyBench: Bench = {
  name: 'cloud-concurrency',
  description: 'cloud API under mixed load: history p99 with 10 concurrent clients over 1 M readings and a year, ingest p99 meanwhile, on SQLite and PostgreSQL',
  async run(context) {
    const sizes = context.quick ? QUICK : FULL;
    const figures: Figure[] = [];
    for (const target of await cloudTargets(context, 'cloud-concurrency.db')) {
      const cloud = await startCloudProcess(target.db, target.pgSchema);
      try {
        figures.push(...(await measure(target, cloud, sizes, context)));
      } finally {
        await cloud.stop();
        await target.cleanup();
      }
    }
    return figures;
  },
};
