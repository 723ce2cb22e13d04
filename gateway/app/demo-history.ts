/**
 * The demo's past: before the live demo starts for the first time, the simulated
 * home is run through the last `days` days on a manual clock — the same emulators,
 * drivers, pipeline, alarms and store as live, sampled every few minutes instead
 * of every few seconds — so the dashboard's charts, usage and days-to-empty mean
 * something on the first visit. The readings land in the gateway's own store and
 * reach the cloud through ordinary sync once the live gateway starts.
 */
import { mkdirSync } from 'node:fs';
import { ManualClock } from '../../hardware/sim/manual-clock.js';
import type { GatewayConfig } from '../config/schema.js';
import type { AppLogger } from '../logging.js';
import { InProcessStore } from '../store/in-process-store.js';
import type { HomeScenarioOverrides } from '../../hardware/sim/world/home-scenario.js';
import { demoScenario } from './demo-scenarios.js';
import { GatewayDaemon } from './gateway-daemon.js';
import { createSimulatedHome } from './simulated-home.js';

const DAY_MS = 86_400_000;
/** Every sensor is read this often in the past: ~300 readings a sensor a day, a month in seconds. */
const HISTORY_INTERVAL_MS = 5 * 60_000;
/** The emulators stream frames as they would at this time-lapse (an A02YYUW frame every 30 s, not 100 ms). */
const HISTORY_EMULATOR_SPEED = 3_000;
/** Staleness and rule durations are checked every 30 s of the past, not every second. */
const HISTORY_TICK_MS = 30_000;

export interface DemoHistoryOptions {
  readonly config: GatewayConfig;
  readonly dataDir: string;
  readonly gatewayId: string;
  /** The history covers [fromMs, toMs). */
  readonly fromMs: number;
  readonly toMs: number;
  readonly utcOffsetMinutes: number;
  readonly logger: AppLogger;
  /** After each simulated day: days done, days in all. */
  readonly onDay?: (done: number, total: number) => void;
}

export interface DemoHistory {
  readonly readings: number;
  /** The tanks as the history left them, for the live home to carry on from. */
  readonly world: HomeScenarioOverrides;
}

export async function fillDemoHistory(options: DemoHistoryOptions): Promise<DemoHistory> {
  const { config: liveConfig, dataDir, fromMs, toMs, utcOffsetMinutes, logger } = options;
  mkdirSync(dataDir, { recursive: true });
  const config: GatewayConfig = { ...liveConfig, sensors: liveConfig.sensors.map((s) => ({ ...s, interval: Math.max(s.interval, HISTORY_INTERVAL_MS) })) };
  const clock = new ManualClock(fromMs);
  const quiet = demoScenario(undefined, fromMs, utcOffsetMinutes);
  const home = await createSimulatedHome({
    config, clock, logger, utcOffsetMinutes, speed: HISTORY_EMULATOR_SPEED,
    // A past reading rests on one frame, not the ten a live one sees: line faults would show ten times as often.
    ultrasonicFaults: {},
    // No refill rush: the cylinder starts half full and is refilled as any household's is.
    scenario: { ...quiet, world: { ...quiet.world, lpgCylinder: { initialPercentOfFill: 55, refillBelowPercentOfFill: 15 } } },
  });
  const store = new InProcessStore({ dataDir, clock, gatewayId: options.gatewayId, batchIntervalMs: HISTORY_INTERVAL_MS, batchMaxRows: 5_000, transferIntervalMs: 6 * 3_600_000 });
  let readings = 0;
  const daemon = new GatewayDaemon({ config, kit: home, store, logger, clockSynced: () => true, version: 'demo-history', hubTickMs: HISTORY_TICK_MS, lifecycleEvents: false });
  daemon.hub.addConsumer({ name: 'demo-history', reading: () => readings++, conditions: () => undefined });
  home.start();
  await clock.run(daemon.start());
  const total = Math.ceil((toMs - fromMs) / DAY_MS);
  // The live clock takes over at toMs: the past ends just before it.
  const endMs = toMs - 1;
  for (let day = 1; clock.now() < endMs; day++) {
    await clock.advance(Math.min(DAY_MS, endMs - clock.now()));
    options.onDay?.(day, total);
  }
  const lpg = home.world.lpgCylinder.state;
  const water = home.world.waterTank.state;
  await clock.run(daemon.stop('history filled'), 600_000);
  await clock.run(home.close(), 600_000);
  return {
    readings,
    world: {
      lpgCylinder: { initialPercentOfFill: lpg.percentOfFill },
      waterTank: { initialLevelMm: water.levelMm },
    },
  };
}
