/** Every benchmark `npm run bench` runs, in order. Add new ones here. */
import type { Bench } from './harness.js';

export const BENCHES: readonly (() => Promise<Bench>)[] = [
  () => import('./gateway-throughput.js').then((m) => m.gatewayThroughputBench),
  () => import('./alarm-latency.js').then((m) => m.alarmLatencyBench),
  () => import('./disk-bytes.js').then((m) => m.diskBytesBench),
  () => import('./simulate-rss.js').then((m) => m.simulateRssBench),
  () => import('./mqtt-nodes.js').then((m) => m.mqttNodesBench),
  () => import('./cloud-ingest.js').then((m) => m.cloudIngestBench),
  () => import('./cloud-concurrency.js').then((m) => m.cloudConcurrencyBench),
  () => import('./sync-drain.js').then((m) => m.syncDrainBench),
  () => import('./notify-email.js').then((m) => m.notifyEmailBench),
  () => import('./alarm-burst.js').then((m) => m.alarmBurstBench),
  () => import('./dashboard.js').then((m) => m.dashboardBench),
  () => import('./forecast-backtest.js').then((m) => m.forecastBacktestBench),
  () => import('./tank-analytics.js').then((m) => m.tankAnalyticsBench),
  () => import('./live-push.js').then((m) => m.livePushBench),
];
