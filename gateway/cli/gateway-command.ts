/**
 * `easygas gateway [--config FILE] [--data-dir DIR] [--simulate [--scenario NAME] [--speed N]]`:
 * loads and validates the config (refusing to start on a bad one, with every
 * error), builds the hardware kit, the store, MQTT and the daemon, and runs until
 * SIGTERM/SIGINT, which flush the open batch and switch every output off.
 */
import { existsSync, mkdirSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { systemClock } from '../../hardware/clock.js';
import type { CalibrationOverrides, SimulationControl } from '../api/control-target.js';
import { ApiListenError, serveControlApi, type ServedApi } from '../api/serve-control-api.js';
import { catchUpClock } from '../../hardware/sim/catch-up-clock.js';
import type { HomeScenarioOverrides } from '../../hardware/sim/world/home-scenario.js';
import { fillDemoHistory } from '../app/demo-history.js';
import { storeLastWrittenMs, TIME_LAPSE_REAL_MS, timeLapseLeadMs } from '../app/demo-timeline.js';
import { demoScenario, SCENARIO_NAMES, type ScenarioName } from '../app/demo-scenarios.js';
import { GatewayDaemon } from '../app/gateway-daemon.js';
import { resolveGatewayId } from '../app/gateway-identity.js';
import { SensorOverrides } from '../app/sensor-overrides.js';
import { simulationControl } from '../app/simulation-control.js';
import type { HardwareKit, PressableButton } from '../app/hardware-kit.js';
import { mqttFactory } from '../app/mqtt-wiring.js';
import { createSimulatedHome } from '../app/simulated-home.js';
import { startSimulateReporter } from '../app/simulate-reporter.js';
import { cloudConfigSink } from '../app/cloud-config-sink.js';
import { syncFactory } from '../app/sync-wiring.js';
import { toPipelineSpec } from '../config/pipeline-spec.js';
import { loadConfig } from '../config/load.js';
import { formatIssue } from '../config/issues.js';
import { createLogger, type AppLogger, type LogLevel } from '../logging.js';
import { StoreClient } from '../store/store-client.js';
import { clockSyncProbe } from '../system/clock-sync.js';
import { systemdNotifier } from '../system/sd-notify.js';
import { HeapTrim } from '../system/heap-trim.js';
import { Watchdog } from '../system/watchdog.js';
import { exampleConfigPath, packageInfo } from '../system/package-info.js';
import { releaseStdin, watchSignals } from './stop-on-signal.js';
import { EXIT_CONFIG, EXIT_USAGE } from '../errors.js';

export interface GatewayCommandOptions {
  readonly config?: string;
  readonly dataDir?: string;
  readonly simulate?: boolean;
  readonly scenario?: string;
  readonly speed?: number;
  /** Simulate: on the first start (no store yet), fill this many past days of history first (the demo: 30). */
  readonly historyDays?: number;
  readonly logLevel?: LogLevel;
  /** Overrides api.port (0 = any free port; the real one is in <dataDir>/api.json). */
  readonly apiPort?: number;
}


export interface RunningGateway {
  readonly daemon: GatewayDaemon;
  readonly kit: HardwareKit;
  readonly logger: AppLogger;
  readonly hushButton?: PressableButton;
  /** The control API's URL, when it listens. */
  readonly apiUrl?: string;
  stop(reason: string): Promise<void>;
}

/** Builds and starts a gateway; returns undefined (after printing why) when the config is invalid. */
export async function startGateway(options: GatewayCommandOptions, env: NodeJS.ProcessEnv = process.env): Promise<RunningGateway | number> {
  const info = packageInfo();
  const simulate = options.simulate === true;
  const configPath = options.config ?? env.EASYGAS_CONFIG ?? (simulate ? exampleConfigPath(info) : undefined);
  const loaded = await loadConfig({ ...(configPath !== undefined ? { path: configPath } : {}), env });
  if (!loaded.ok) {
    process.stderr.write(`easygas: the config is not valid — nothing started. ${loaded.errors.length} problem(s):\n`);
    for (const issue of loaded.errors) process.stderr.write(`  ${formatIssue(issue)}\n`);
    process.stderr.write('Fix them and check again with: easygas config check\n');
    return EXIT_CONFIG;
  }
  const { config } = loaded;
  const logger = createLogger({ level: options.logLevel ?? config.log.level, pretty: config.log.pretty });
  for (const w of loaded.warnings) logger.warn({ path: w.path }, `config: ${w.message}`);

  const dataDir = resolve(options.dataDir ?? env.EASYGAS_DATA_DIR ?? (simulate ? '.data/gateway' : config.gateway.dataDir));
  mkdirSync(dataDir, { recursive: true });

  const real = systemClock();
  let kit: HardwareKit;
  let hushButton: PressableButton | undefined;
  let clockSynced: () => boolean;
  let simulation: SimulationControl | undefined;
  let simulatedSpeed: number | undefined; // set when the gateway's clock is not real time
  if (simulate) {
    const name = options.scenario;
    if (name !== undefined && !(SCENARIO_NAMES as readonly string[]).includes(name)) {
      process.stderr.write(`easygas: unknown scenario "${name}"; choose one of ${SCENARIO_NAMES.join(', ')}\n`);
      return EXIT_USAGE;
    }
    const speed = options.speed ?? 60;
    if (speed !== 1) simulatedSpeed = speed;
    const utcOffsetMinutes = -new Date().getTimezoneOffset();
    // The time-lapse starts in the past and catches up with the present: nothing is stamped in the future.
    let leadMs = timeLapseLeadMs(speed, real.now(), storeLastWrittenMs(dataDir));
    let carryOn: HomeScenarioOverrides | undefined;
    const historyDays = options.historyDays ?? 0;
    if (historyDays > 0 && !existsSync(join(dataDir, 'gateway.db'))) {
      const toMs = real.now() - leadMs;
      const started = real.monotonic();
      logger.info({ days: historyDays }, `simulation: filling the last ${historyDays} days of history first (once, through the same drivers and pipeline)`);
      const history = await fillDemoHistory({
        config, dataDir, gatewayId: resolveGatewayId(config.gateway.id, dataDir), fromMs: toMs - historyDays * 86_400_000, toMs, utcOffsetMinutes,
        logger: logger.child({ component: 'history' }, { level: 'error' }),
        onDay: (done, total) => { if (done % 10 === 0 || done === total) logger.info(`simulation: history day ${done} of ${total}`); },
      });
      logger.info({ readings: history.readings, ms: Math.round(real.monotonic() - started) }, `simulation: ${history.readings} past readings stored; sync takes them to the cloud`);
      carryOn = history.world;
      leadMs = real.now() - toMs; // the live clock starts where the past ended, however long filling it took
    }
    const clock = speed === 1 ? real : catchUpClock(real, speed, leadMs);
    if (speed > 1 && carryOn === undefined && leadMs < TIME_LAPSE_REAL_MS * (speed - 1)) {
      // A restart soon after the last run: the time-lapse only covers the gap, the rest plays in real time.
      logger.info({ leadMs }, `simulation: the last run stopped ${Math.round(leadMs / 60_000)} min ago, so the ${speed}× time-lapse covers only that gap, then time runs at real pace (for the whole time-lapse, start on a fresh data directory)`);
    }
    const story = demoScenario(name as ScenarioName | undefined, clock.now(), utcOffsetMinutes);
    // The live home carries on from the tanks as the history left them.
    const scenario = carryOn === undefined ? story : { ...story, world: { ...story.world, lpgCylinder: { ...story.world.lpgCylinder, ...carryOn.lpgCylinder }, waterTank: { ...story.world.waterTank, ...carryOn.waterTank } } };
    const home = await createSimulatedHome({ config, clock, scenario, logger: logger.child({ component: 'simulation' }), speed, utcOffsetMinutes });
    kit = home;
    hushButton = home.hushButton;
    simulation = simulationControl(config, home);
    clockSynced = () => true;
  } else {
    // Loaded only on real hardware: serialport, i2c-bus and onoff stay out of simulate mode.
    const { linuxHardware } = await import('../app/linux-hardware.js');
    kit = linuxHardware({ gpioSysfsRoot: config.hardware.gpioSysfsRoot, w1Root: config.hardware.w1Root, logger });
    clockSynced = clockSyncProbe({ now: () => Date.now() });
  }

  // One id for the store and MQTT (it is in every topic and Home Assistant unique_id).
  const gatewayId = resolveGatewayId(config.gateway.id, dataDir);
  const store = new StoreClient({
    dataDir,
    logger, // the store names itself in its log lines
    config: {
      gatewayId,
      batchIntervalMs: config.store.batchInterval,
      batchMaxRows: config.store.batchMaxRows,
      // Unsynced readings are downsampled to this bucket first, then to hours.
      retention: { maxSizeBytes: config.store.maxSize, bucketsMs: [config.store.downsampleBucket, 3_600_000] },
    },
  });
  // MQTT runs on real time even when the simulated home runs faster: its peers are real.
  const mqtt = await mqttFactory({ config, gatewayId, dataDir, version: info.version, logger: logger.child({ component: 'mqtt' }), timers: real, simulate });
  // Calibrations and rules changed at runtime (easygas calibrate, the cloud) hold through reboots without network.
  const overrides = SensorOverrides.load({ dataDir, document: loaded.source.document, logger, now: () => Date.now() });
  const sync = await syncFactory({
    config, dataDir, version: info.version, logger: logger.child({ component: 'sync' }), configSink: cloudConfigSink(overrides, logger.child({ component: 'sync' })),
  });
  const daemon = new GatewayDaemon({
    config: { ...config, sensors: overrides.sensors(config) }, kit, store, logger, clockSynced, version: info.version,
    ...(mqtt !== undefined ? { mqtt } : {}), ...(sync !== undefined ? { sync } : {}),
  });
  // A new override applies at once, without a restart.
  overrides.onChange((sensor) => {
    daemon.hub.updateSpec(toPipelineSpec(sensor));
    daemon.sync?.calibrationsChanged();
  });
  logger.info({ config: loaded.source.path, dataDir, version: info.version }, `EasyGas gateway ${info.version} on ${kit.description}`);
  kit.start();
  await daemon.start();
  store.ready().catch((err: unknown) => logger.error({ err }, 'the store is not available: readings wait in memory, alarms keep working'));
  const calibrations: CalibrationOverrides = {
    calibrationOf: (id) => overrides.record(id)?.calibration,
    setCalibration: (id, override, at) => overrides.set(id, override, 'local', at),
    clearCalibration: (id) => overrides.clear(id, 'calibration'),
  };
  // The control API degrades nothing if it cannot listen: the gateway protects and stores without it.
  let api: ServedApi | undefined;
  const serve = (port: number): Promise<ServedApi> =>
    serveControlApi({
      target: daemon,
      identity: { id: gatewayId, name: config.gateway.name, ...(simulatedSpeed !== undefined ? { simulatedSpeed } : {}) },
      clock: kit.clock,
      host: config.api.host,
      port,
      dataDir,
      calibrations,
      ...(config.api.password !== undefined ? { password: config.api.password } : {}),
      ...(simulation !== undefined ? { simulation } : {}),
    });
  try {
    const port = options.apiPort ?? config.api.port;
    api = await serve(port).catch((err: unknown) => {
      // A second simulated gateway on one machine (the real one holds the port): any free port will do, api.json says which.
      if (!simulate || !(err instanceof ApiListenError) || err.code !== 'EADDRINUSE') throw err;
      logger.warn({ port }, `simulation: the control API port ${port} is in use; using a free one (see ${dataDir}/api.json)`);
      return serve(0);
    });
    logger.info({ url: api.url }, `control API and status page on ${api.url} (easygas status talks to it)`);
  } catch (err) {
    const hint = (err as { hint?: string }).hint;
    logger.error({ err, hint }, 'the control API is not available: the easygas commands cannot reach this gateway; sampling and alarms carry on');
  }

  // systemd (Type=notify): READY once sampling runs; watchdog pings only while the pollers prove it.
  const notifier = systemdNotifier({ env, logger });
  const watchdog = new Watchdog({ notifier, clock: real, check: () => daemon.samplingProblem(), logger: logger.child({ component: 'watchdog' }) });
  notifier.ready(`sampling ${config.sensors.length} sensors on ${kit.description}`);
  watchdog.start();
  // Only under the unit's --expose-gc: keeps V8's heap near its live size on a Pi.
  const heapTrim = new HeapTrim({ clock: real, logger: logger.child({ component: 'heap-trim' }) });
  heapTrim.start();

  let stopReporter: (() => void) | undefined;
  if (simulate) {
    void daemon.mqttReady().then(() => {
      const url = daemon.mqtt?.stats().link.url;
      if (url === undefined) return;
      const { hostname, port } = new URL(url);
      logger.info({ url }, `MQTT: watch it with  mosquitto_sub -h ${hostname} -p ${port} -t '${config.mqtt.baseTopic}/#' -v`);
    });
    stopReporter = startSimulateReporter({
      hub: daemon.hub,
      clock: kit.clock,
      realClock: real,
      everyMs: 5_000,
      logger: logger.child({ component: 'simulation' }),
      buzzer: () => daemon.status().alarms.find((a) => a.silencedUntil === undefined)?.condition,
    });
  }
  return {
    daemon,
    kit,
    logger,
    ...(hushButton !== undefined ? { hushButton } : {}),
    ...(api !== undefined ? { apiUrl: api.url } : {}),
    async stop(reason: string) {
      notifier.stopping(`stopping: ${reason}`);
      watchdog.stop();
      heapTrim.stop();
      stopReporter?.();
      await api?.close().catch((err: unknown) => logger.error({ err }, 'the control API did not close cleanly'));
      await daemon.stop(reason);
      await kit.close();
      notifier.close();
    },
  };
}

/** The command: start, then wait for a signal. Resolves with the exit code. */
export async function runGatewayCommand(options: GatewayCommandOptions, env: NodeJS.ProcessEnv = process.env): Promise<number> {
  // Listening from before the start: a signal while starting (the API already answers) still stops cleanly.
  const signals = watchSignals();
  const started = await startGateway(options, env);
  if (typeof started === 'number') {
    signals.close();
    return started;
  }
  const { logger, hushButton } = started;
  if (hushButton !== undefined && process.stdin.isTTY) {
    logger.info('simulation: press Enter to push the hush/test button (Ctrl-C stops)');
    process.stdin.setEncoding('utf8');
    process.stdin.on('data', () => hushButton.press());
  }
  const signal = await signals.first;
  // Off the terminal at once: the hush button must not be what keeps a stopping gateway alive.
  releaseStdin();
  try {
    await started.stop(signal);
    return 0;
  } catch (err) {
    logger.error({ err }, 'shutdown failed');
    return 1;
  }
}
