/**
 * Alarm latency: from hub.ingest() of a gas sample above the alarm level to the
 * buzzer's DigitalOutput.write(1) — the whole protection path (pipeline, rules,
 * alarm book, annunciator, pattern player), wired as the daemon wires it, with the
 * real worker-thread StoreClient as a hub consumer. Measured over many crossings
 * (cleared in between), first with the store idle, then while it absorbs a heavy
 * write load with retention pruning and downsampling: the alarm path must not wait
 * on the disk. Baseline: the same kind of output written directly, in the same run.
 */
import { spawn } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { join } from 'node:path';
import { setImmediate as immediate, setTimeout as pause } from 'node:timers/promises';
import { AlarmController } from '../../gateway/alarms/alarm-controller.js';
import { Annunciator } from '../../gateway/alarms/annunciator.js';
import type { SensorPipelineSpec } from '../../gateway/pipeline/specs.js';
import type { RawSample, Reading } from '../../gateway/pipeline/types.js';
import { SensorHub } from '../../gateway/sampling/sensor-hub.js';
import { StoreClient } from '../../gateway/store/store-client.js';
import { PatternPlayer } from '../../hardware/drivers/pattern-player.js';
import { silentLogger } from '../../hardware/logger.js';
import type { DigitalOutput, Level } from '../../hardware/ports/digital.js';
import { ManualClock } from '../../hardware/sim/manual-clock.js';
import { SimGpio } from '../../hardware/sim/sim-gpio.js';
import { gasVolts, loadExampleHome, storeConsumer, type ExampleHome } from './example-home.js';
import { percentile, type Bench, type BenchContext, type Figure } from './harness.js';
import { unitEnvironment, unitNodeFlags } from './unit-runtime.js';

/** Wraps an output and notes the moment write(1) is called: the instant the buzzer is told to sound. */
class StampedOutput implements DigitalOutput {
  readonly #inner: DigitalOutput;
  /** performance.now() of the last write(1) call. */
  onAt: number | undefined;

  constructor(inner: DigitalOutput) {
    this.#inner = inner;
  }

  get name(): string {
    return this.#inner.name;
  }

  get level(): Level {
    return this.#inner.level;
  }

  write(level: Level): Promise<void> {
    if (level === 1) this.onAt = performance.now();
    return this.#inner.write(level);
  }

  close(): Promise<void> {
    return this.#inner.close();
  }
}

interface Rig {
  readonly hub: SensorHub;
  readonly buzzer: StampedOutput;
  /** A spare line of the same GPIO, for the direct-write baseline. */
  readonly direct: StampedOutput;
  /** A gas sample (sensor volts), two seconds after the previous one. */
  gasSample(volts: number): RawSample;
  readonly alarmVolts: number;
  readonly clearVolts: number;
  close(): Promise<void>;
}

async function buildRig(home: ExampleHome, store: StoreClient): Promise<Rig> {
  const gas = home.specs.find((s) => s.kind === 'gas');
  if (gas === undefined) throw new Error('the example config has no gas sensor');
  const { alarmLel, severeLel } = gasRule(gas);
  // The pipeline takes its time from the samples; the still clock only parks pattern timers.
  const clock = new ManualClock();
  const gpio = new SimGpio(clock);
  const { outputs } = home.config;
  // The example's lines (BCM 18, 24, 23); a spare line 26 carries the baseline.
  const open = (line: number | undefined, fallback: number): Promise<DigitalOutput> => gpio.openOutput(line ?? fallback);
  const buzzer = new StampedOutput(await open(outputs.buzzer?.gpio, 18));
  const direct = new StampedOutput(await gpio.openOutput(26));
  const players = {
    buzzer: new PatternPlayer(buzzer, { clock }),
    red: new PatternPlayer(await open(outputs.ledRed?.gpio, 24), { clock }),
    green: new PatternPlayer(await open(outputs.ledGreen?.gpio, 23), { clock }),
  };
  const alarms = new AlarmController({
    clock,
    annunciator: new Annunciator(players, silentLogger),
    hushMs: home.config.alarms.hush,
    testDurationMs: home.config.alarms.testDuration,
    allSensorsHealthy: () => hub.allHealthy(), // called from start(), once the hub exists
    logger: silentLogger,
  });
  const hub: SensorHub = new SensorHub({ specs: home.specs, clock, clockSynced: () => true, alarms, logger: silentLogger });
  hub.addConsumer(storeConsumer(store));
  alarms.start();

  // Past the MQ-6 warm-up, so the readings are trusted and the rules judge them.
  let mono = gas.health.warmupMs + 10_000;
  const interval = home.intervals.get(gas.sensorId) ?? 2_000;
  const start = Date.UTC(2026, 0, 1);
  const rig: Rig = {
    hub,
    buzzer,
    direct,
    gasSample: (volts) => {
      mono += interval;
      return { sensorId: gas.sensorId, at: start + mono, mono, clockSynced: true, value: volts };
    },
    // Well above the alarm level, below the severe one: the ordinary evacuate alarm.
    alarmVolts: gasVolts(gas, Math.min(alarmLel + 15, (severeLel + alarmLel) / 2)),
    clearVolts: gasVolts(gas, 1),
    close: async () => {
      alarms.stop();
      await Promise.all([players.buzzer.close(), players.red.close(), players.green.close(), direct.close()]);
    },
  };
  for (let i = 0; i < 5; i++) hub.ingest(rig.gasSample(rig.clearVolts));
  const health = hub.snapshot(gas.sensorId)?.health;
  if (health !== 'ok') throw new Error(`the gas sensor is ${String(health)} after priming, not ok`);
  return rig;
}

function gasRule(spec: SensorPipelineSpec): { alarmLel: number; severeLel: number } {
  const rule = spec.rules.find((r) => r.type === 'gas');
  if (rule?.type !== 'gas') throw new Error(`${spec.sensorId} has no gas rule`);
  return rule;
}

/** One crossing: ms from ingest to write(1); then cleared, and the OFF write allowed to land. */
async function crossing(rig: Rig): Promise<number> {
  rig.buzzer.onAt = undefined;
  const start = performance.now();
  rig.hub.ingest(rig.gasSample(rig.alarmVolts));
  const on = rig.buzzer.onAt;
  if (on === undefined) throw new Error('the gas sample above the alarm level did not switch the buzzer on');
  rig.hub.ingest(rig.gasSample(rig.clearVolts));
  await immediate();
  if (rig.buzzer.level !== 0) throw new Error('the buzzer is still on after the gas cleared');
  return on - start;
}

/** The baseline: the same kind of output written directly, no pipeline. */
async function directWrite(rig: Rig): Promise<number> {
  rig.direct.onAt = undefined;
  const start = performance.now();
  void rig.direct.write(1);
  const on = rig.direct.onAt ?? Number.NaN;
  await rig.direct.write(0);
  await immediate();
  return on - start;
}

/** Between crossings: each one commits two events (raised, cleared) with an fsync. */
const PAUSE_MS = 5;

interface Sampled {
  readonly alarm: number[];
  readonly direct: number[];
}

/**
 * `count` crossings, `pauseMs` apart (each commits two events with an fsync: back to
 * back they would turn the store's thread into an fsync loop no home ever sees).
 */
async function measure(rig: Rig, count: number, pauseMs: number): Promise<Sampled> {
  const alarm: number[] = [];
  const direct: number[] = [];
  for (let i = 0; i < count; i++) {
    await pause(pauseMs); // the load generator and the worker's messages run meanwhile
    alarm.push(await crossing(rig));
    direct.push(await directWrite(rig));
  }
  return { alarm, direct };
}

/** Heavy writing into the store from the main thread, as fast as the worker takes it, with acks so retention prunes. */
function startLoad(store: StoreClient): { stop(): Promise<number> } {
  let running = true;
  let sent = 0;
  const start = Date.UTC(2026, 0, 1);
  const reading = (i: number): Reading => ({
    sensorId: `load-${i % 8}`,
    kind: 'level',
    at: start + i * 100,
    mono: i * 100,
    clockSynced: true,
    value: 50 + (i % 97) / 10,
    unit: '%',
    raw: 0.9,
    percent: 50,
    litres: 500,
    quality: 'ok',
  });
  const loop = (async () => {
    let acking: Promise<unknown> = Promise.resolve();
    let acked = true;
    while (running) {
      if (store.workerStats().unacknowledgedReadings < 10_000) {
        for (let k = 0; k < 1_000; k++) store.appendReading(reading(sent++));
      }
      // Acknowledge all but the newest rows now and then, as a cloud sync would: retention prunes those first.
      if (acked) {
        acked = false;
        acking = store
          .backlog()
          .then((b) => store.ack(b.lastSeq - 20_000))
          .finally(() => (acked = true));
      }
      await immediate();
    }
    await acking.catch(() => undefined);
  })();
  return {
    stop: async () => {
      running = false;
      await loop;
      return sent;
    },
  };
}

function counter(stats: Awaited<ReturnType<StoreClient['stats']>>, name: string): number {
  return stats.store?.counters[name] ?? 0;
}

/** The four latency figures, measured in this process (with whatever node flags it runs under). */
export async function measureAlarmLatency(context: BenchContext): Promise<Figure[]> {
  const home = await loadExampleHome();
  const crossings = context.quick ? 150 : 1_000;
  const dataDir = mkdtempSync(join(context.tmpDir, 'store-'));
  // A small budget and no pause between retention runs, so pruning and downsampling run throughout the load.
  const store = new StoreClient({
    dataDir,
    config: { ...home.store, retention: { ...home.store.retention, maxSizeBytes: 2e6, minIntervalMs: 0 } },
    logger: silentLogger,
  });
  await store.ready();
  const rig = await buildRig(home, store);
  try {
    await measure(rig, Math.min(200, crossings), 0); // warm the JIT
    await store.flush();
    const idle = await measure(rig, crossings, PAUSE_MS);

    const before = await store.stats();
    const load = startLoad(store);
    const loadStart = performance.now();
    // Measure only once the store is over its budget, so retention works on every batch from here on.
    while ((await store.stats()).lastRetention === undefined) {
      if (performance.now() - loadStart > 120_000) throw new Error('the store never went over its 2 MB budget under load');
      await immediate();
    }
    const loaded = await measure(rig, crossings, PAUSE_MS);
    const sent = await load.stop();
    await store.flush();
    const loadSeconds = (performance.now() - loadStart) / 1000;
    const after = await store.stats();
    const written = counter(after, 'readings_written') - counter(before, 'readings_written');
    const pruned = counter(after, 'pruned_readings') - counter(before, 'pruned_readings');
    const downsampled = counter(after, 'downsampled_rows_in') - counter(before, 'downsampled_rows_in');
    const runs = counter(after, 'retention_runs') - counter(before, 'retention_runs');
    context.log(`load: ${sent} readings sent, ${written} committed in ${loadSeconds.toFixed(1)} s; retention ${runs} runs`);
    if (runs === 0) throw new Error('retention never ran during the load: the loaded figure would not mean what it says');

    const direct = 'the same SimGpio output written directly';
    const target = { on: 'value', op: '<', limit: 5 } as const;
    const idleNote =
      `${idle.alarm.length} crossings ${PAUSE_MS} ms apart (cleared in between), no reading load (each crossing's two events ` +
      'are still committed, with an fsync); pipeline + alarm book + annunciator + pattern player';
    const loadNote =
      `${loaded.alarm.length} crossings while the worker committed ${Math.round(written / loadSeconds)} rows/s ` +
      `(${written} rows in ${loadSeconds.toFixed(1)} s), retention ran ${runs}×: pruned ${pruned}, downsampled ${downsampled}`;
    return [
      { name: 'alarm latency p50', value: percentile(idle.alarm, 50), unit: 'ms', baseline: percentile(idle.direct, 50), baselineName: direct, note: idleNote },
      { name: 'alarm latency p99', value: percentile(idle.alarm, 99), unit: 'ms', baseline: percentile(idle.direct, 99), baselineName: direct, target, note: idleNote },
      { name: 'alarm latency p50, store under load', value: percentile(loaded.alarm, 50), unit: 'ms', baseline: percentile(loaded.direct, 50), baselineName: direct, note: loadNote },
      { name: 'alarm latency p99, store under load', value: percentile(loaded.alarm, 99), unit: 'ms', baseline: percentile(loaded.direct, 99), baselineName: direct, target, note: loadNote },
    ];
  } finally {
    await rig.close();
    await store.close();
  }
}

/**
 * The same measurement in a child process under the systemd unit's node flags and
 * environment (interpreter only, small heap: how a Pi runs the daemon), so the
 * memory the unit saves is not paid for with an alarm path nobody measured.
 */
function measureUnderUnitFlags(context: BenchContext): Promise<Figure[]> {
  const child = join(import.meta.dirname, 'alarm-latency-child.ts');
  const flags = unitNodeFlags();
  const args = [...flags, '--import', 'tsx', child, JSON.stringify({ quick: context.quick, tmpDir: context.tmpDir })];
  context.log(`again under the unit's node flags: ${flags.join(' ')}`);
  return new Promise((done, fail) => {
    const proc = spawn(process.execPath, args, { stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, ...unitEnvironment() } });
    let out = '';
    let err = '';
    proc.stdout.on('data', (c: Buffer) => (out += c.toString()));
    proc.stderr.on('data', (c: Buffer) => (err = (err + c.toString()).slice(-4000)));
    proc.once('error', fail);
    proc.once('close', (code) => {
      if (code !== 0) return fail(new Error(`the alarm-latency child exited ${code}: ${err}`));
      try {
        done(JSON.parse(out) as Figure[]);
      } catch (error) {
        fail(new Error(`the alarm-latency child printed no figures: ${String(error)}\n${out.slice(0, 500)}`));
      }
    });
  });
}

export const alarmLatencyBench: Bench = {
  name: 'alarm-latency',
  description: 'gas sample above the alarm level → buzzer write(1), store idle and under heavy write load (worker-thread store)',
  async run(context: BenchContext): Promise<Figure[]> {
    const here = await measureAlarmLatency(context);
    const unit = await measureUnderUnitFlags(context);
    return [...here, ...unit.map((f) => ({ ...f, name: `${f.name} (unit's node flags)` }))];
  },
};
