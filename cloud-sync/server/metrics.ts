/**
 * A small Prometheus registry (text exposition format 0.0.4): counters and
 * histograms with labels, rendered by GET /metrics. No dependency, no globals:
 * each server builds its own.
 */
type Labels = Readonly<Record<string, string>>;

function labelKey(labels: Labels): string {
  return Object.keys(labels)
    .sort()
    .map((k) => `${k}="${escapeLabel(labels[k] ?? '')}"`)
    .join(',');
}

function escapeLabel(value: string): string {
  return value.replace(/\\/g, '\\\\').replace(/"/g, '\\"').replace(/\n/g, '\\n');
}

function withLabels(name: string, key: string): string {
  return key === '' ? name : `${name}{${key}}`;
}

function number(value: number): string {
  return Number.isFinite(value) ? String(value) : value > 0 ? '+Inf' : value < 0 ? '-Inf' : 'NaN';
}

export class Counter {
  readonly #values = new Map<string, number>();
  constructor(readonly name: string, readonly help: string) {}

  inc(labels: Labels = {}, by = 1): void {
    const key = labelKey(labels);
    this.#values.set(key, (this.#values.get(key) ?? 0) + by);
  }

  get(labels: Labels = {}): number {
    return this.#values.get(labelKey(labels)) ?? 0;
  }

  render(): string[] {
    const lines = [`# HELP ${this.name} ${this.help}`, `# TYPE ${this.name} counter`];
    for (const [key, value] of this.#values) lines.push(`${withLabels(this.name, key)} ${number(value)}`);
    return lines;
  }
}

export class Gauge {
  constructor(readonly name: string, readonly help: string, private readonly read: () => number) {}

  render(): string[] {
    return [`# HELP ${this.name} ${this.help}`, `# TYPE ${this.name} gauge`, `${this.name} ${number(this.read())}`];
  }
}

interface Series {
  readonly counts: number[];
  sum: number;
  count: number;
}

export class Histogram {
  readonly #series = new Map<string, Series>();
  constructor(
    readonly name: string,
    readonly help: string,
    readonly buckets: readonly number[] = [0.001, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
  ) {}

  observe(labels: Labels, value: number): void {
    const key = labelKey(labels);
    let series = this.#series.get(key);
    if (series === undefined) {
      series = { counts: this.buckets.map(() => 0), sum: 0, count: 0 };
      this.#series.set(key, series);
    }
    this.buckets.forEach((bound, i) => {
      if (value <= bound) series.counts[i] = (series.counts[i] ?? 0) + 1;
    });
    series.sum += value;
    series.count += 1;
  }

  count(labels: Labels = {}): number {
    return this.#series.get(labelKey(labels))?.count ?? 0;
  }

  render(): string[] {
    const lines = [`# HELP ${this.name} ${this.help}`, `# TYPE ${this.name} histogram`];
    for (const [key, series] of this.#series) {
      const prefix = key === '' ? '' : `${key},`;
      this.buckets.forEach((bound, i) => lines.push(`${this.name}_bucket{${prefix}le="${bound}"} ${series.counts[i] ?? 0}`));
      lines.push(`${this.name}_bucket{${prefix}le="+Inf"} ${series.count}`);
      lines.push(`${withLabels(`${this.name}_sum`, key)} ${number(series.sum)}`);
      lines.push(`${withLabels(`${this.name}_count`, key)} ${series.count}`);
    }
    return lines;
  }
}

/** Every figure the cloud exposes. */
export class CloudMetrics {
  readonly httpRequests = new Counter('easygas_http_requests_total', 'HTTP requests by method, route and status code.');
  readonly httpDuration = new Histogram('easygas_http_request_duration_seconds', 'HTTP request duration by method and route.');
  readonly ingestBatches = new Counter('easygas_ingest_batches_total', 'Ingest batches accepted.');
  readonly ingestRecords = new Counter('easygas_ingest_records_total', 'Records newly stored by ingest, by kind (reading, event).');
  readonly ingestDuplicates = new Counter('easygas_ingest_duplicates_total', 'Records the cloud already had (resends), by ingest.');
  readonly rateLimited = new Counter('easygas_rate_limited_total', 'Requests answered 429, by route.');
  readonly dbDuration = new Histogram('easygas_db_operation_duration_seconds', 'Database operation latency by operation.');
  readonly dbErrors = new Counter('easygas_db_errors_total', 'Database operations that failed, by operation.');
  readonly notifications = new Counter('easygas_notifications_total', 'Notifications created, by type.');
  readonly presence = new Counter('easygas_gateway_presence_changes_total', 'Gateways going offline or coming back, by presence.');
  readonly readingsPruned = new Counter('easygas_readings_pruned_total', 'Raw readings deleted by retention (their rollups are kept).');
  readonly outbox = new Counter('easygas_outbox_rows_total', 'Outbox rows worked on by this process, by kind and outcome (delivered, failed, gone, retry).');
  readonly deliveries = new Counter('easygas_notification_deliveries_total', 'Notification delivery attempts by this process, by channel and outcome (delivered, retry, failed, gone, skipped).');
  readonly jobRuns = new Counter('easygas_job_runs_total', 'Background job runs by this process (each tick runs in one process only), by job.');
  readonly liveSockets = new Counter('easygas_live_socket_closes_total', 'Live WebSocket connections closed, by close code.');
  readonly memory = new Gauge('easygas_process_resident_memory_bytes', 'Resident set size of the server process.', () => process.memoryUsage.rss());

  render(): string {
    const all = [
      this.httpRequests,
      this.httpDuration,
      this.ingestBatches,
      this.ingestRecords,
      this.ingestDuplicates,
      this.rateLimited,
      this.dbDuration,
      this.dbErrors,
      this.notifications,
      this.presence,
      this.readingsPruned,
      this.outbox,
      this.deliveries,
      this.jobRuns,
      this.liveSockets,
      this.memory,
    ];
    return `${all.flatMap((m) => m.render()).join('\n')}\n`;
  }
}
