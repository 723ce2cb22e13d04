/**
 * The forecast backtest (issue 20 item 3): three 90-day traces from hardware/sim's
 * world models (forecast-traces.ts) go through the real ingest path (POST
 * /api/sensors/data on an in-process cloud, SQLite) into the hourly rollups; the
 * hourly level series is read back as the analytics endpoint reads it; then, every
 * `evaluateEveryMs` through the trace, the forecast is made from the rows known at
 * that instant and its empty date compared with the truth (when the tank would
 * have run empty with no delivery). Beside it, in the same run, the naive
 * baseline: the last 7 days' straight-line rate (falls over 7 days / 7).
 * Nothing here is fitted to the truth: the forecast's parameters are its defaults.
 */
import type { ReadingRecord } from '../../cloud-sync/protocol/index.js';
import { forecast } from '../../cloud-sync/server/modules/analytics/forecast.js';
import { analyseUsage } from '../../cloud-sync/server/modules/analytics/usage.js';
import { call, claimGateway, signUp, startHarness } from '../../cloud-sync/server/test-support/harness.js';
import type { LevelPoint } from '../../cloud-sync/server/storage/types.js';
import { DAY, forecastTraces, trueEmptyAt, type Trace } from './forecast-traces.js';
import type { Bench, BenchContext, Figure } from './harness.js';

const HOUR = 3_600_000;

interface Sizes {
  readonly seeds: readonly number[];
  readonly sampleMs: number;
  readonly evaluateEveryMs: number;
}

const FULL: Sizes = { seeds: [11, 12], sampleMs: 10 * 60_000, evaluateEveryMs: 6 * HOUR };
const QUICK: Sizes = { seeds: [11], sampleMs: 60 * 60_000, evaluateEveryMs: 2 * DAY };

interface Evaluation {
  readonly trace: string;
  /** Days from the forecast to the true empty date. */
  readonly lead: number;
  readonly error: number | null;
  readonly naiveError: number | null;
  readonly inBand: boolean | null;
}

function readingsOf(trace: Trace, sensorId: string, firstSeq: number): ReadingRecord[] {
  return trace.samples.map((s, i) => ({
    record: 'reading',
    seq: firstSeq + i,
    sensorId,
    sensorKind: 'level',
    at: s.at,
    value: s.percent,
    unit: '%',
    percent: s.percent,
    litres: (s.percent / 100) * trace.capacityLitres,
    quality: s.quality,
    clockSynced: true,
  }));
}

/** The last 7 days' falls over 7 days, from the level the walk ended on. */
function naiveEmptyAt(levels: readonly LevelPoint[], now: number): number | null {
  const usage = analyseUsage(levels.filter((l) => l.at >= now - 7 * DAY - HOUR));
  const current = usage.walk.current;
  const last = usage.walk.levels[usage.walk.levels.length - 1];
  const used = usage.walk.falls.reduce((a, f) => a + f.percent, 0);
  if (current === null || last === undefined || !(used > 0)) return null;
  return last.at + (current.percent / (used / 7)) * DAY;
}

function evaluate(trace: Trace, levels: readonly LevelPoint[], sizes: Sizes): Evaluation[] {
  const out: Evaluation[] = [];
  const end = trace.start + 90 * DAY;
  for (let now = trace.start + 5 * DAY; now < end; now += sizes.evaluateEveryMs) {
    const truth = trueEmptyAt(trace.truth, now);
    if (truth === null) continue;
    const known = levels.filter((l) => l.at + HOUR <= now);
    const outdoor = trace.outdoor?.filter((t) => t.at <= now);
    const f = forecast(analyseUsage(known, { capacityLitres: trace.capacityLitres }), { now, reorderPercent: trace.reorderPercent, ...(outdoor === undefined ? {} : { outdoor }) });
    const naive = naiveEmptyAt(known, now);
    const e = f.emptyBy.ok ? f.emptyBy.estimate : null;
    out.push({
      trace: trace.name,
      lead: (truth - now) / DAY,
      error: e === null ? null : Math.abs(e.at - truth) / DAY,
      naiveError: naive === null ? null : Math.abs(naive - truth) / DAY,
      inBand: e === null ? null : truth >= e.p10 && (e.p90 === null || truth <= e.p90),
    });
  }
  return out;
}

const mean = (xs: readonly number[]): number => (xs.length === 0 ? 0 : xs.reduce((a, b) => a + b, 0) / xs.length);

function maeAt(evaluations: readonly Evaluation[], lead: number, halfWidth: number): { mae: number; naive: number; n: number } {
  const near = evaluations.filter((e) => Math.abs(e.lead - lead) <= halfWidth && e.error !== null && e.naiveError !== null);
  return { mae: mean(near.map((e) => e.error ?? 0)), naive: mean(near.map((e) => e.naiveError ?? 0)), n: near.length };
}

export const forecastBacktestBench: Bench = {
  name: 'forecast',
  description: 'forecast backtest: empty-date error at 7 and 30 days out and P10–P90 coverage over simulated 90-day traces, against the naive 7-day rate',
  async run(context: BenchContext): Promise<Figure[]> {
    const sizes = context.quick ? QUICK : FULL;
    const h = await startHarness({ ingestBodyLimitBytes: 8 * 1024 * 1024, ingestRateLimit: { max: 100_000, windowMs: 60_000 } });
    const evaluations: Evaluation[] = [];
    try {
      const user = await signUp(h.app);
      const gw = await claimGateway(h.app, user.token);
      let seq = 0;
      for (const seed of sizes.seeds) {
        for (const [i, trace] of forecastTraces(seed, 90, sizes.sampleMs).entries()) {
          const sensorId = `tank-${seed}-${i}`;
          const records = readingsOf(trace, sensorId, seq + 1);
          for (let b = 0; b < records.length; b += 2000) {
            const batch = records.slice(b, b + 2000);
            const ack = await call(h.app, 'POST', '/api/sensors/data', { token: gw.credential, body: { afterSeq: seq, lastSeq: seq + batch.length, records: batch } });
            if (ack.status !== 200) throw new Error(`ingest answered ${ack.status}: ${ack.text}`);
            seq += batch.length;
          }
          const sensor = await h.repo.readings.sensor(user.userId, `${gw.gatewayId}:${sensorId}`);
          if (sensor === undefined) throw new Error(`sensor ${sensorId} not stored`);
          const levels = await h.repo.readings.levelSeries(sensor.key, trace.start, trace.start + 91 * DAY, HOUR);
          const mine = evaluate(trace, levels, sizes);
          evaluations.push(...mine);
          const seven = maeAt(mine, 7, 1);
          context.log(`${trace.name} (seed ${seed}): ${records.length} readings → ${levels.length} hourly rows; MAE at 7 days ${seven.mae.toFixed(2)} (naive ${seven.naive.toFixed(2)}, n=${seven.n})`);
        }
      }
    } finally {
      await h.close();
    }
    const seven = maeAt(evaluations, 7, 1);
    const thirty = maeAt(evaluations, 30, 3);
    const banded = evaluations.filter((e) => e.inBand !== null && e.lead <= 90);
    const naiveBanded = evaluations.filter((e) => e.naiveError !== null && e.lead <= 90);
    const coverage = (100 * banded.filter((e) => e.inBand === true).length) / Math.max(1, banded.length);
    return [
      {
        name: 'forecast empty-date MAE, 7 days out',
        value: seven.mae,
        unit: 'days',
        baseline: seven.naive,
        baselineName: "naive: last 7 days' straight-line rate",
        target: { on: 'value', op: '<=', limit: 1 },
        note: `${seven.n} forecasts 6–8 days before the true empty date`,
      },
      {
        name: 'forecast empty-date MAE, 30 days out',
        value: thirty.mae,
        unit: 'days',
        baseline: thirty.naive,
        baselineName: "naive: last 7 days' straight-line rate",
        target: { on: 'ratio', op: '<=', limit: 0.5 },
        note: `${thirty.n} forecasts 27–33 days before the true empty date`,
      },
      {
        name: 'forecast truths inside P10–P90',
        value: coverage,
        unit: '%',
        target: { on: 'value', op: '>=', limit: 75 },
        note: `${banded.length} forecasts (target 75–85 %); naive gave a date in ${naiveBanded.length}`,
      },
    ];
  },
};
