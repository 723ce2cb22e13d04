/**
 * `easygas readings SENSOR --since 24h [--until …] [--csv|--json]`: the stored
 * readings of one sensor, oldest first, fetched page by page (progress on a TTY)
 * so a long export never asks the gateway for everything at once. With no daemon
 * running it reads gateway.db (and readings.journal) directly, read-only.
 */
import type { StatusView } from '../api/status-view.js';
import type { StoredReading } from '../store/records.js';
import { CliError, printJson, type CliIo } from './cli-io.js';
import { connectToGateway } from './connect.js';
import { locateGateway, runningDaemon } from './gateway-locator.js';
import { EXIT_UNAVAILABLE } from '../errors.js';
import type { ReadOptions } from './read-commands.js';
import { parseTimeArg } from './time-arg.js';
import { significant } from '../api/sensor-text.js';

export interface ReadingsOptions extends ReadOptions {
  readonly since?: string;
  readonly until?: string;
  readonly limit?: number;
  readonly csv?: boolean;
}

const PAGE = 5_000;

const CSV_COLUMNS = ['seq', 'time', 'at', 'value', 'unit', 'raw', 'percent', 'litres', 'ppm', 'quality', 'clockSynced', 'downsampledCount'] as const;

function csvRow(r: StoredReading): string {
  const cells = [r.seq, new Date(r.at).toISOString(), r.at, r.value, r.unit, r.raw, r.percent, r.litres, r.ppm, r.quality, r.clockSynced, r.downsampled?.count];
  return cells.map((c) => (c === undefined ? '' : String(c))).join(',');
}

/** Where pages of readings come from: the running daemon's API, or gateway.db read directly. */
interface ReadingSource {
  /** The "now" that --since/--until durations count back from. */
  readonly now: number;
  page(sensorId: string, from: number, until: number | undefined, limit: number): Promise<StoredReading[]>;
  close(): void;
}

async function daemonSource(options: ReadingsOptions, env: NodeJS.ProcessEnv | undefined): Promise<ReadingSource> {
  const api = await connectToGateway(options, env);
  const { gateway } = await api.get<StatusView>('/api/status');
  return {
    now: gateway.now,
    async page(sensorId, from, until, limit) {
      const query = new URLSearchParams({ since: String(Math.floor(from)), limit: String(limit) });
      if (until !== undefined) query.set('until', String(Math.floor(until)));
      return (await api.get<{ readings: StoredReading[] }>(`/api/sensors/${encodeURIComponent(sensorId)}/readings?${query.toString()}`)).readings;
    },
    close() {},
  };
}

/** No daemon runs: gateway.db opened read-only, with the readings still in its journal; says so on stderr. */
async function fileSource(dataDir: string, io: CliIo): Promise<ReadingSource> {
  const { openStoreSnapshot } = await import('../store/store-snapshot.js');
  let snapshot;
  try {
    snapshot = openStoreSnapshot(dataDir);
  } catch (err) {
    throw new CliError(
      `no running gateway found, and its database cannot be read: ${err instanceof Error ? err.message : String(err)}`,
      'Start the gateway (sudo systemctl start easygas-gateway), or name its data with --data-dir DIR / --config FILE (or EASYGAS_DATA_DIR).',
      EXIT_UNAVAILABLE,
    );
  }
  const journal = snapshot.journalProblem !== undefined ? `; part of readings.journal is unreadable (${snapshot.journalProblem}), readings after it are missing` : '';
  io.stderr.write(`No running gateway: read ${snapshot.path} directly (read-only), with ${snapshot.journalReadings} reading(s) from readings.journal${journal}.\n`);
  const store = snapshot;
  return {
    now: Date.now(),
    page: (sensorId, from, until, limit) => Promise.resolve(store.readings(sensorId, { since: from, ...(until !== undefined && { until }), limit })),
    close: () => store.close(),
  };
}

export async function readingsCommand(sensorId: string, options: ReadingsOptions, io: CliIo, env?: NodeJS.ProcessEnv): Promise<number> {
  if (options.csv === true && options.json === true) throw new CliError('--csv and --json exclude each other', 'Pick one output format.', 64);
  const located = await locateGateway(options, env);
  const source = runningDaemon(located) !== undefined ? await daemonSource(options, env) : await fileSource(located.dataDir, io);
  try {
    return print(sensorId, await fetchAll(source, sensorId, options, io), options, io);
  } finally {
    source.close();
  }
}

interface Fetched {
  readonly since: number;
  readonly until?: number;
  readonly rows: StoredReading[];
}

async function fetchAll(source: ReadingSource, sensorId: string, options: ReadingsOptions, io: CliIo): Promise<Fetched> {
  const since = parseTimeArg(options.since ?? '24h', source.now, '--since');
  const until = options.until !== undefined ? parseTimeArg(options.until, source.now, '--until') : undefined;
  const max = options.limit ?? Number.POSITIVE_INFINITY;
  const rows: StoredReading[] = [];
  const seen = new Set<number>();
  let from = since;
  for (;;) {
    const page = await source.page(sensorId, from, until, PAGE);
    let added = 0;
    for (const r of page) {
      if (seen.has(r.seq) || rows.length >= max) continue;
      seen.add(r.seq);
      rows.push(r);
      added++;
    }
    if (io.interactive === true) io.stderr.write(`\rfetched ${rows.length} reading(s)…`);
    const last = page.at(-1);
    if (page.length < PAGE || last === undefined || added === 0 || rows.length >= max) break;
    from = last.at; // same-millisecond rows are de-duplicated by seq
  }
  if (io.interactive === true) io.stderr.write('\n');
  return { since, ...(until !== undefined && { until }), rows };
}

function print(sensorId: string, { since, until, rows }: Fetched, options: ReadingsOptions, io: CliIo): number {
  if (options.json === true) printJson(io, { sensorId, since, ...(until !== undefined ? { until } : {}), readings: rows });
  else if (options.csv === true) {
    io.stdout.write(`${CSV_COLUMNS.join(',')}\n`);
    for (const r of rows) io.stdout.write(`${csvRow(r)}\n`);
  } else {
    if (rows.length === 0) io.stdout.write(`No readings of ${sensorId} since ${new Date(since).toISOString()}.\n`);
    for (const r of rows) {
      const extra = r.litres !== undefined ? ` (${r.litres.toFixed(1)} L)` : r.ppm !== undefined ? ` (${r.ppm.toFixed(0)} ppm)` : '';
      io.stdout.write(`${new Date(r.at).toISOString()}  ${r.value.toFixed(2)} ${r.unit}${extra}  raw ${r.raw === undefined ? '—' : significant(r.raw)}  ${r.quality}${r.downsampled !== undefined ? `  (avg of ${r.downsampled.count})` : ''}\n`);
    }
  }
  return 0;
}
