/**
 * Readings per second through the whole local loop on ONE thread: SensorHub
 * (calibrate → level → filter → health → rules → alarm controller) into
 * InProcessStore with the example's batching (1 s or 500 rows), timed until the
 * last batch has committed — against raw better-sqlite3 inserting the very same
 * rows (same schema and pragmas, batches of 500, one prepared statement) in the
 * same run. Rounds alternate so drift (thermal, page cache) hits both sides alike,
 * and each side reports its best round: on a shared machine noise only subtracts.
 */
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { AlarmController } from '../../gateway/alarms/alarm-controller.js';
import { Annunciator } from '../../gateway/alarms/annunciator.js';
import type { RawSample, Reading } from '../../gateway/pipeline/types.js';
import { SensorHub } from '../../gateway/sampling/sensor-hub.js';
import { InProcessStore } from '../../gateway/store/in-process-store.js';
import { migrate } from '../../gateway/store/migrations.js';
import { systemClock } from '../../hardware/clock.js';
import { silentLogger } from '../../hardware/logger.js';
import { ManualClock } from '../../hardware/sim/manual-clock.js';
import { loadExampleHome, roundRobinSamples, SampleMaker, storeConsumer, type ExampleHome } from './example-home.js';
import type { Bench, BenchContext, Figure } from './harness.js';
import { rawReadingInsert } from './raw-readings.js';

const BASELINE_BATCH = 500;

interface GatewayRun {
  readonly seconds: number;
  readonly rows: number;
}

/** Builds the hub as the daemon wires it (alarms first, the store as a consumer); returns it with its store. */
function buildGateway(home: ExampleHome, dataDir: string): { hub: SensorHub; store: InProcessStore } {
  // The pipeline and alarms take their time from the samples; a still clock keeps their timers out of the way.
  const pipelineClock = new ManualClock();
  const store = new InProcessStore({ ...home.store, dataDir, clock: systemClock(), logger: silentLogger });
  const alarms = new AlarmController({
    clock: pipelineClock,
    annunciator: new Annunciator({}, silentLogger),
    hushMs: home.config.alarms.hush,
    testDurationMs: home.config.alarms.testDuration,
    allSensorsHealthy: () => hub.allHealthy(), // called from start(), once the hub exists
    logger: silentLogger,
  });
  const hub: SensorHub = new SensorHub({ specs: home.specs, clock: pipelineClock, clockSynced: () => true, alarms, logger: silentLogger });
  hub.addConsumer(storeConsumer(store));
  alarms.start();
  return { hub, store };
}

async function runGateway(home: ExampleHome, samples: readonly RawSample[], dataDir: string): Promise<GatewayRun> {
  const { hub, store } = buildGateway(home, dataDir);
  const start = performance.now();
  for (const sample of samples) hub.ingest(sample);
  const { pending } = await store.flush();
  const seconds = (performance.now() - start) / 1000;
  const stats = await store.stats();
  await store.close();
  if (pending !== 0) throw new Error(`${pending} records still waiting after the flush: the store did not commit everything`);
  const rows = stats.store?.readings ?? 0;
  return { seconds, rows };
}

/** The same rows, straight into SQLite: same schema, WAL + synchronous=NORMAL, 500 per transaction. */
function runRawInserts(readings: readonly Reading[], path: string): number {
  const db = new Database(path);
  db.pragma('journal_mode = WAL');
  db.pragma('synchronous = NORMAL');
  migrate(db);
  const insert = rawReadingInsert(db);
  const insertBatch = db.transaction((from: number, to: number) => {
    for (let i = from; i < to; i++) {
      const r = readings[i];
      if (r === undefined) continue;
      insert(i + 1, r);
    }
  });
  const start = performance.now();
  for (let from = 0; from < readings.length; from += BASELINE_BATCH) insertBatch(from, Math.min(readings.length, from + BASELINE_BATCH));
  const seconds = (performance.now() - start) / 1000;
  db.close();
  return seconds;
}

/** The readings the pipeline makes of `samples`: the rows the baseline inserts (untimed). */
function readingsOf(home: ExampleHome, samples: readonly RawSample[]): Reading[] {
  const readings: Reading[] = [];
  const hub: SensorHub = new SensorHub({
    specs: home.specs,
    clock: new ManualClock(),
    clockSynced: () => true,
    alarms: { handleConditions: () => undefined, refresh: () => undefined },
    logger: silentLogger,
  });
  hub.addConsumer({ name: 'capture', reading: (r) => readings.push(r) });
  for (const sample of samples) hub.ingest(sample);
  return readings;
}


export const gatewayThroughputBench: Bench = {
  name: 'gateway-throughput',
  description: 'readings/s through calibrate + filter + rules + store (one thread) vs raw batched better-sqlite3 inserts',
  async run(context: BenchContext): Promise<Figure[]> {
    const home = await loadExampleHome({ fullLevelFilters: true });
    const sampleCount = context.quick ? 8_000 : 200_000;
    const rounds = context.quick ? 1 : 5;
    const samples = roundRobinSamples(home, new SampleMaker(20260101), sampleCount);
    const readings = readingsOf(home, samples);
    context.log(`${samples.length} samples over ${home.specs.length} sensors → ${readings.length} readings; ${rounds} round(s)`);

    const inputsRssMb = process.memoryUsage().rss / 1e6;
    const gatewayRates: number[] = [];
    const rawRates: number[] = [];
    let rows = 0;
    for (let round = 0; round < rounds; round++) {
      const rawSeconds = runRawInserts(readings, join(context.tmpDir, `raw-${round}.db`));
      rawRates.push(readings.length / rawSeconds);
      const dataDir = join(context.tmpDir, `gateway-${round}`);
      mkdirSync(dataDir);
      const run = await runGateway(home, samples, dataDir);
      if (run.rows !== readings.length) throw new Error(`the store holds ${run.rows} rows; the pipeline made ${readings.length}`);
      rows = run.rows;
      gatewayRates.push(run.rows / run.seconds);
      context.log(`round ${round + 1}: gateway ${Math.round(run.rows / run.seconds)} rows/s, raw ${Math.round(readings.length / rawSeconds)} rows/s`);
    }
    const rssMb = process.memoryUsage().rss / 1e6;
    const peakRssMb = process.resourceUsage().maxRSS / 1e3;
    return [
      {
        name: 'gateway throughput',
        value: Math.max(...gatewayRates),
        unit: 'readings/s',
        baseline: Math.max(...rawRates),
        baselineName: 'raw better-sqlite3, same rows, 500 per transaction',
        target: { on: 'ratio', op: '>=', limit: 0.5 },
        note:
          `${rows} rows of ${home.specs.length} example sensors (level: median+spike+EMA), best of ${rounds} alternating rounds each (noise only slows a run down); ` +
          `RSS ${rssMb.toFixed(0)} MB after the runs, peak ${peakRssMb.toFixed(0)} MB ` +
          `(${inputsRssMb.toFixed(0)} MB before the first, with the bench's samples and rows in memory)`,
      },
    ];
  },
};
