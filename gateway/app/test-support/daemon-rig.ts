/**
 * A whole gateway daemon on the simulated home and a manual clock, for scenario
 * tests: the real drivers, pollers, pipeline, alarms and SQLite store, with time
 * under the test's control. The buzzer's history is on the simulated GPIO.
 */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import YAML from 'yaml';
import type { Clock } from '../../../hardware/clock.js';
import { ManualClock } from '../../../hardware/sim/manual-clock.js';
import type { UltrasonicFaultRates } from '../../../hardware/sim/ultrasonic-sim.js';
import { loadConfig } from '../../config/load.js';
import type { GatewayConfig } from '../../config/schema.js';
import { createLogger } from '../../logging.js';
import type { ConditionEvent, Reading } from '../../pipeline/types.js';
import { InProcessStore } from '../../store/in-process-store.js';
import type { ReadingStore } from '../../store/reading-store.js';
import { exampleConfigPath } from '../../system/package-info.js';
import { demoScenario, type ScenarioName } from '../demo-scenarios.js';
import { GatewayDaemon } from '../gateway-daemon.js';
import { mqttFactory, type MqttWiringOptions } from '../mqtt-wiring.js';
import { createSimulatedHome, type SimulatedHome } from '../simulated-home.js';
import { syncFactory } from '../sync-wiring.js';
import { cloudConfigSink } from '../cloud-config-sink.js';
import { SensorOverrides } from '../sensor-overrides.js';
import { toPipelineSpec } from '../../config/pipeline-spec.js';

export const T0 = Date.UTC(2026, 10, 24, 8, 0, 0);

export interface RigOptions {
  readonly scenario?: ScenarioName;
  /** Edits the example config (as a plain YAML document) before it is validated. */
  readonly patch?: (doc: Record<string, unknown>) => void;
  readonly store?: (dataDir: string, clock: ManualClock) => ReadingStore;
  readonly ultrasonicFaults?: UltrasonicFaultRates;
  readonly clock?: ManualClock;
  readonly dataDir?: string;
  /** Reuse a home across a daemon restart. */
  readonly home?: SimulatedHome;
  /**
   * Runs MQTT as the config says (the example: embedded), on an ephemeral port unless
   * overridden; the gateway id is "rig". Timers run on the rig's clock unless given.
   */
  readonly mqtt?: { readonly overrides?: MqttWiringOptions['overrides']; readonly timers?: Clock; readonly gatewayId?: string };
  /** Wires cloud sync as the daemon's main does (it runs only when the patched config enables it; real timers). */
  readonly sync?: boolean;
}

export interface Rig {
  readonly clock: ManualClock;
  readonly config: GatewayConfig;
  readonly home: SimulatedHome;
  readonly daemon: GatewayDaemon;
  readonly store: ReadingStore;
  readonly dataDir: string;
  /** Every reading and verdict the hub handed on, in order. */
  readonly readings: Reading[];
  readonly conditions: ConditionEvent[];
  readonly buzzerLine: number;
  /** Every log line the daemon wrote (info and above), parsed. */
  readonly logs: Record<string, unknown>[];
  /** Monotonic times of the buzzer's rising edges at or after `since`. */
  buzzerOnsets(since?: number): number[];
  /** Stops the daemon; the home keeps running unless `closeHome`. */
  stop(closeHome?: boolean): Promise<void>;
}

export async function exampleConfig(patch?: (doc: Record<string, unknown>) => void): Promise<GatewayConfig> {
  return (await exampleLoaded(patch)).config;
}

/** The example config with its validated document (what runtime overrides merge into). */
export async function exampleLoaded(patch?: (doc: Record<string, unknown>) => void): Promise<{ config: GatewayConfig; document: Readonly<Record<string, unknown>> }> {
  const doc = YAML.parse(readFileSync(exampleConfigPath(), 'utf8')) as Record<string, unknown>;
  patch?.(doc);
  const loaded = await loadConfig({ text: YAML.stringify(doc), env: {} });
  if (!loaded.ok) throw new Error(`test config invalid: ${loaded.errors.map((e) => `${e.path}: ${e.message}`).join('; ')}`);
  return { config: loaded.config, document: loaded.source.document };
}

/** The example's sensor entry by id, for patches. */
export function sensorDoc(doc: Record<string, unknown>, id: string): Record<string, unknown> {
  const found = (doc.sensors as Record<string, unknown>[]).find((s) => s.id === id);
  if (found === undefined) throw new Error(`no sensor ${id} in the example config`);
  return found;
}

export async function startRig(options: RigOptions = {}): Promise<Rig> {
  const clock = options.clock ?? new ManualClock(T0);
  const { config: fileConfig, document } = await exampleLoaded(options.patch);
  const logs: Record<string, unknown>[] = [];
  const collect = new Writable({
    write(chunk: Buffer, _encoding, done) {
      for (const line of chunk.toString().split('\n')) if (line.startsWith('{')) logs.push(JSON.parse(line) as Record<string, unknown>);
      if (process.env.RIG_LOG === '1') process.stderr.write(chunk);
      done();
    },
  });
  const logger = createLogger({ level: process.env.RIG_LOG === '1' ? 'debug' : 'info', pretty: false, destination: collect });
  const home =
    options.home ??
    (await createSimulatedHome({
      config: fileConfig,
      clock,
      scenario: demoScenario(options.scenario, clock.now(), 0),
      logger,
      utcOffsetMinutes: 0,
      ...(options.ultrasonicFaults !== undefined ? { ultrasonicFaults: options.ultrasonicFaults } : {}),
    }));
  const dataDir = options.dataDir ?? mkdtempSync(join(tmpdir(), 'easygas-rig-'));
  // As the daemon's main does with sync on: runtime overrides apply at start and live.
  const overrides = options.sync === true ? SensorOverrides.load({ dataDir, document, logger, now: () => clock.now() }) : undefined;
  const config = overrides === undefined ? fileConfig : { ...fileConfig, sensors: overrides.sensors(fileConfig) };
  const store = options.store?.(dataDir, clock) ?? new InProcessStore({ dataDir, clock, batchIntervalMs: 1_000, batchMaxRows: 500 });
  const mqtt =
    options.mqtt === undefined
      ? undefined
      : await mqttFactory({
          config,
          gatewayId: options.mqtt.gatewayId ?? 'rig',
          dataDir,
          version: 'test',
          logger,
          timers: options.mqtt.timers ?? clock,
          overrides: { port: 0, ...options.mqtt.overrides },
        });
  const sync = overrides === undefined ? undefined : await syncFactory({ config, dataDir, version: 'test', logger, configSink: cloudConfigSink(overrides, logger) });
  const daemon = new GatewayDaemon({
    config, kit: home, store, logger, clockSynced: () => true, version: 'test', ...(mqtt !== undefined ? { mqtt } : {}), ...(sync !== undefined ? { sync } : {}),
  });
  const readings: Reading[] = [];
  const conditions: ConditionEvent[] = [];
  daemon.hub.addConsumer({ name: 'rig', reading: (r) => readings.push(r), conditions: (e) => conditions.push(...e) });
  overrides?.onChange((sensor) => daemon.hub.updateSpec(toPipelineSpec(sensor)));
  if (options.home === undefined) home.start();
  await clock.run(daemon.start());
  const buzzerLine = config.outputs.buzzer?.gpio ?? -1;
  return {
    clock,
    config,
    home,
    daemon,
    store,
    dataDir,
    readings,
    conditions,
    buzzerLine,
    logs,
    buzzerOnsets: (since = 0) =>
      home.simGpio
        .history(buzzerLine)
        .filter((c) => c.level === 1 && c.atMs >= since)
        .map((c) => c.atMs),
    async stop(closeHome = true) {
      // MQTT on real timers talks to real peers: let it finish in real time, not in a manual-clock burst.
      if (options.mqtt?.timers !== undefined) await daemon.mqtt?.stop();
      await clock.run(daemon.stop('test over'), 600_000);
      if (!closeHome) return; // a restart follows: keep the house and the data
      await clock.run(home.close(), 600_000);
      if (options.dataDir === undefined) rmSync(dataDir, { recursive: true, force: true });
    },
  };
}
