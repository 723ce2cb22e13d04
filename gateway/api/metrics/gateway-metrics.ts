/**
 * Every figure GET /metrics exposes, read at scrape time from what the daemon's
 * parts already keep: sensors and alarms from the daemon's status, the store's
 * counters and sizes (no table scan), sync, MQTT, and the process. README "Metrics"
 * lists them. A sensor that is not `ok` has no value series: a scrape never records
 * a plausible number for a faulty sensor, only its health and how old its last
 * sample is.
 */
import type { GatewayStatus } from '../../app/gateway-daemon.js';
import type { Health } from '../../pipeline/types.js';
import type { LinkState } from '../../mqtt/mqtt-link.js';
import type { MqttStats } from '../../mqtt/mqtt-service.js';
import type { StoreMetrics } from '../../store/records.js';
import type { LagFigures } from '../../system/event-loop-lag.js';
import type { ControlTarget, GatewayIdentity } from '../control-target.js';
import type { SyncState, SyncStatus } from '../sync-control.js';
import type { ViewClock } from '../status-view.js';
import { single, stateSet, type MetricFamily, type Sample } from './exposition.js';

const HEALTHS = Object.keys({ ok: 0, warming_up: 0, stale: 0, disconnected: 0, out_of_range: 0, stuck: 0, noisy: 0 } satisfies Record<Health, 0>);
const SYNC_STATES = Object.keys({ idle: 0, syncing: 0, backoff: 0, unauthorized: 0, 'not-provisioned': 0, disabled: 0 } satisfies Record<SyncState, 0>);
const LINK_STATES = Object.keys({ starting: 0, listening: 0, port_in_use: 0, connecting: 0, connected: 0, unavailable: 0, stopped: 0 } satisfies Record<LinkState, 0>);
const SEVERITIES = ['info', 'warning', 'critical'] as const;

/** The store's persistent counters, each `easygas_store_<name>_total`; present from the start at 0. Others found are exposed too. */
export const STORE_COUNTERS: Readonly<Record<string, string>> = {
  reading_batches: 'Batches of readings committed to the journal.',
  readings_written: 'Readings stored.',
  readings_rejected: 'Readings refused by the store (no finite value, or SQLite refused the row).',
  events_written: 'Alarm, fault and system events stored.',
  journal_transfers: 'Moves of the readings journal into SQLite.',
  pruned_readings: 'Readings the cloud already had, deleted to keep the store within store.maxSize.',
  prune_batches: 'Prune passes that deleted readings.',
  downsampled_rows_in: 'Unsynced readings merged into min/avg/max rows to stay within store.maxSize.',
  downsampled_rows_out: 'Rows those merges produced.',
  downsample_batches: 'Downsample passes.',
  recoveries: 'Times an unusable database was moved aside and replaced.',
  retention_runs: 'Times the store was found over its size budget.',
  over_budget: 'Retention runs that could not get under the budget.',
  readings_dropped_in_memory: 'Readings given up while the disk failed and the memory queue was full.',
  events_dropped_in_memory: 'Events given up while the disk failed and the memory queue was full.',
};

export interface MetricsContext {
  readonly target: ControlTarget;
  readonly identity: GatewayIdentity;
  readonly clock: ViewClock;
  readonly lag?: LagFigures;
}

const seconds = (ms: number): number => ms / 1000;

function sensorFamilies(status: GatewayStatus, now: number): MetricFamily[] {
  const value: Sample[] = [];
  const percent: Sample[] = [];
  const litres: Sample[] = [];
  const ppm: Sample[] = [];
  const readingAge: Sample[] = [];
  const sampleAge: Sample[] = [];
  const health: Sample[] = [];
  const samples: Sample[] = [];
  const rejected: Sample[] = [];
  for (const s of status.sensors) {
    const sensor = { sensor: s.id };
    const r = s.reading;
    if (r !== undefined && s.health === 'ok') {
      value.push({ labels: { sensor: s.id, kind: s.kind, unit: r.unit }, value: r.value });
      if (r.percent !== undefined) percent.push({ labels: sensor, value: r.percent });
      if (r.litres !== undefined) litres.push({ labels: sensor, value: r.litres });
      if (r.ppm !== undefined) ppm.push({ labels: sensor, value: r.ppm });
    }
    if (r !== undefined) readingAge.push({ labels: sensor, value: seconds(Math.max(0, now - r.at)) });
    if (s.lastSampleAt !== undefined) sampleAge.push({ labels: sensor, value: seconds(Math.max(0, now - s.lastSampleAt)) });
    health.push(...stateSet(HEALTHS, s.health, sensor, 'health'));
    samples.push({ labels: sensor, value: s.samples });
    rejected.push({ labels: sensor, value: s.rejected });
  }
  return [
    { name: 'easygas_sensor_value', type: 'gauge', help: 'The latest value of a healthy sensor (%, %LEL, °C, 1 wet / 0 dry). Absent while the sensor is not ok.', samples: value },
    { name: 'easygas_sensor_percent', type: 'gauge', help: 'Level sensors: percent of the usable capacity. Absent while the sensor is not ok.', samples: percent },
    { name: 'easygas_sensor_litres', type: 'gauge', help: 'Level sensors: litres in the tank. Absent while the sensor is not ok.', samples: litres },
    { name: 'easygas_sensor_ppm', type: 'gauge', help: 'Gas sensors: concentration in ppm. Absent while the sensor is not ok.', samples: ppm },
    { name: 'easygas_sensor_health', type: 'gauge', help: 'The sensor\'s health: 1 for its current state, 0 for the others.', samples: health },
    { name: 'easygas_sensor_last_sample_age_seconds', type: 'gauge', help: 'Seconds since the sensor last produced a sample, good or faulty (gateway clock; simulated time in simulate mode).', samples: sampleAge },
    { name: 'easygas_sensor_reading_age_seconds', type: 'gauge', help: 'Seconds since the sensor\'s latest reading (gateway clock).', samples: readingAge },
    { name: 'easygas_sensor_samples_total', type: 'counter', help: 'Samples taken since the daemon started.', samples },
    { name: 'easygas_sensor_rejected_samples_total', type: 'counter', help: 'Samples the filters rejected since the daemon started.', samples: rejected },
  ];
}

function alarmFamilies(ctx: MetricsContext, alarms: GatewayStatus['alarms']): MetricFamily[] {
  const active = alarms.map((a) => ({ labels: { sensor: a.sensorId, condition: a.condition, severity: a.severity }, value: 1 }));
  const silenced = alarms.map((a) => ({ labels: { sensor: a.sensorId, condition: a.condition }, value: a.silencedUntil !== undefined ? 1 : 0 }));
  const bySeverity = SEVERITIES.map((severity) => ({ labels: { severity }, value: alarms.filter((a) => a.severity === severity).length }));
  const testing = ctx.target.alarms.book.testUntil !== undefined && ctx.target.alarms.book.testUntil > ctx.clock.monotonic();
  return [
    { name: 'easygas_alarm_active', type: 'gauge', help: 'One series per active alarm, value 1.', samples: active },
    { name: 'easygas_alarm_silenced', type: 'gauge', help: 'Per active alarm: 1 while it is silenced by the hush button, 0 while it sounds.', samples: silenced },
    { name: 'easygas_alarms_active', type: 'gauge', help: 'Active alarms by severity.', samples: bySeverity },
    single('easygas_alarm_test_active', 'gauge', 'Whether the alarm test pattern is sounding.', testing ? 1 : 0),
  ];
}

function storeFamilies(store: StoreMetrics | undefined): MetricFamily[] {
  if (store === undefined) return [single('easygas_store_open', 'gauge', 'Whether the database is open and answering.', 0)];
  const counters = { ...Object.fromEntries(Object.keys(STORE_COUNTERS).map((k) => [k, 0])), ...store.counters };
  const counterFamilies = Object.entries(counters)
    .filter(([name]) => /^[a-z][a-z0-9_]*$/.test(name))
    .map(([name, value]) => single(`easygas_store_${name}_total`, 'counter', STORE_COUNTERS[name] ?? `The store's ${name.replace(/_/g, ' ')} counter.`, value));
  return [
    single('easygas_store_open', 'gauge', 'Whether the database is open and answering.', store.open ? 1 : 0),
    ...counterFamilies,
    single('easygas_store_journal_bytes', 'gauge', 'Size of readings.journal: readings not yet moved into SQLite.', store.journalBytes),
    single('easygas_store_pending_readings', 'gauge', 'Readings in the journal, not yet moved into SQLite (already durable).', store.pendingReadings),
    single('easygas_store_used_bytes', 'gauge', 'Bytes of gateway.db in use: what store.maxSize is measured on.', store.usedBytes),
    single('easygas_store_wal_bytes', 'gauge', 'Size of gateway.db-wal.', store.walBytes),
    single('easygas_store_last_seq', 'gauge', 'The highest seq given to a reading or event.', store.lastSeq),
    single('easygas_store_queued_readings', 'gauge', 'Readings waiting in memory because writes fail.', store.queuedReadings),
    single('easygas_store_queued_events', 'gauge', 'Events waiting in memory because writes fail.', store.queuedEvents),
    single('easygas_store_transfer_failures_total', 'counter', 'Journal moves into SQLite that failed since the daemon started (the readings stayed durable).', store.transferFailures),
    single('easygas_store_worker_restarts_total', 'counter', 'Times the store worker thread was restarted since the daemon started.', store.workerRestarts ?? 0),
  ];
}

function syncFamilies(sync: SyncStatus | undefined, backlog: number | undefined): MetricFamily[] {
  return [
    single('easygas_sync_enabled', 'gauge', 'Whether cloud sync runs (cloud.enabled and a sync agent).', sync !== undefined ? 1 : 0),
    { name: 'easygas_sync_state', type: 'gauge', help: 'The sync agent\'s state: 1 for the current one.', samples: stateSet(SYNC_STATES, sync?.state ?? 'disabled') },
    {
      name: 'easygas_sync_backlog_records',
      type: 'gauge',
      help: 'Readings and events stored and not yet acknowledged by the cloud (with sync off: the seqs not acknowledged, an upper bound). Absent while the store does not answer.',
      samples: backlog !== undefined ? [{ value: backlog }] : [],
    },
    {
      name: 'easygas_sync_last_success_timestamp_seconds',
      type: 'gauge',
      help: 'When the cloud last acknowledged an upload (Unix time). Absent until it has.',
      samples: sync?.lastSyncAt !== undefined ? [{ value: seconds(sync.lastSyncAt) }] : [],
    },
    single('easygas_sync_consecutive_failures', 'gauge', 'Failed upload attempts in a row (0 after a success).', sync?.retries ?? 0),
  ];
}

function mqttFamilies(mqtt: MqttStats | undefined): MetricFamily[] {
  const up = mqtt !== undefined;
  const link = mqtt?.link;
  const rejected = Object.entries(mqtt?.nodes.rejected ?? {}).map(([reason, value]) => ({ labels: { result: reason }, value }));
  return [
    { name: 'easygas_mqtt_link_state', type: 'gauge', help: 'The MQTT link\'s state (embedded broker or external connection): 1 for the current one. No series with mqtt.mode off.', samples: link !== undefined ? stateSet(LINK_STATES, link.state, { mode: mqtt?.mode ?? '' }) : [] },
    { name: 'easygas_mqtt_clients', type: 'gauge', help: 'Clients connected to the embedded broker.', samples: link?.clients !== undefined ? [{ value: link.clients }] : [] },
    { name: 'easygas_mqtt_refused_logins_total', type: 'counter', help: 'CONNECTs the embedded broker refused (bad password, unknown user, anonymous, a forbidden last will or client id).', samples: up ? [{ value: link?.refusedLogins ?? 0 }] : [] },
    { name: 'easygas_mqtt_denied_publishes_total', type: 'counter', help: 'PUBLISHes the embedded broker refused (ACL or size); the client was disconnected.', samples: up ? [{ value: link?.deniedPublishes ?? 0 }] : [] },
    { name: 'easygas_mqtt_denied_subscriptions_total', type: 'counter', help: 'Subscriptions the embedded broker refused (SUBACK 0x80).', samples: up ? [{ value: link?.deniedSubscriptions ?? 0 }] : [] },
    { name: 'easygas_mqtt_published_total', type: 'counter', help: 'Messages the gateway published (states, discovery, alarms, events).', samples: up ? [{ value: mqtt.publish.published }] : [] },
    { name: 'easygas_mqtt_publish_dropped_total', type: 'counter', help: 'Events the gateway dropped because too many waited for the broker.', samples: up ? [{ value: mqtt.publish.dropped }] : [] },
    {
      name: 'easygas_mqtt_node_readings_total',
      type: 'counter',
      help: 'Wi-Fi node messages by result: accepted, or the reason they were rejected.',
      samples: up ? [{ labels: { result: 'accepted' }, value: mqtt.nodes.accepted }, ...rejected] : [],
    },
  ];
}

function processFamilies(lag: LagFigures | undefined): MetricFamily[] {
  const memory = process.memoryUsage();
  const lagSample = (pick: (l: LagFigures) => number): Sample[] => (lag !== undefined ? [{ value: pick(lag) }] : []);
  return [
    single('easygas_process_resident_memory_bytes', 'gauge', 'Resident set size of the daemon.', memory.rss),
    single('easygas_process_heap_used_bytes', 'gauge', 'V8 heap in use.', memory.heapUsed),
    single('easygas_process_heap_total_bytes', 'gauge', 'V8 heap reserved.', memory.heapTotal),
    single('easygas_process_external_memory_bytes', 'gauge', 'Memory V8 tracks outside its heap (Buffers).', memory.external),
    single('easygas_process_uptime_seconds', 'gauge', 'Seconds since the daemon\'s process started (real time).', process.uptime()),
    { name: 'easygas_event_loop_lag_p50_seconds', type: 'gauge', help: 'Median event-loop delay over the last window (a minute, or the time between scrapes if longer). Absent before the second scrape.', samples: lagSample((l) => l.p50) },
    { name: 'easygas_event_loop_lag_p99_seconds', type: 'gauge', help: '99th percentile of the event-loop delay over the same window.', samples: lagSample((l) => l.p99) },
    { name: 'easygas_event_loop_lag_max_seconds', type: 'gauge', help: 'Longest event-loop delay over the same window.', samples: lagSample((l) => l.max) },
  ];
}

/** Every family, in the README's order. The store and the sync status are asked once each; a store that fails to answer shows as not open. */
export async function gatewayMetrics(ctx: MetricsContext): Promise<MetricFamily[]> {
  const { target, identity } = ctx;
  const status = target.status();
  const store = await target.store.metrics().catch(() => undefined);
  const sync = target.sync?.status();
  const backlog = sync !== undefined ? sync.backlog : store !== undefined ? Math.max(0, store.lastSeq - store.ackedSeq) : undefined;
  return [
    { name: 'easygas_gateway_info', type: 'gauge', help: 'The gateway: its id, name, version and hardware, value 1.', samples: [{ labels: { id: identity.id, name: identity.name, version: status.version, hardware: status.hardware }, value: 1 }] },
    single('easygas_gateway_clock_synced', 'gauge', 'Whether the system clock is synchronised (readings before that are flagged).', status.clockSynced ? 1 : 0),
    ...sensorFamilies(status, ctx.clock.now()),
    ...alarmFamilies(ctx, status.alarms),
    ...storeFamilies(store),
    ...syncFamilies(sync, backlog),
    ...mqttFamilies(status.mqtt),
    ...processFamilies(ctx.lag),
  ];
}
