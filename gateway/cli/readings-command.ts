/**
 * `easygas readings SENSOR --since 24h [--until …] [--csv|--json]`: the stored
 * readings of one sensor, oldest first, fetched page by page (progress on a TTY)
 * so a long export never asks the gateway for everything at once.
 */
import type { StatusView } from '../api/status-view.js';
import type { StoredReading } from '../store/records.js';
import { CliError, printJson, type CliIo } from './cli-io.js';
import { connectToGateway } from './connect.js';
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

export async function readingsCommand(sensorId: string, options: ReadingsOptions, io: CliIo, env?: NodeJS.ProcessEnv): Promise<number> {
  if (options.csv === true && options.json === true) throw new CliError('--csv and --json exclude each other', 'Pick one output format.', 64);
  const api = await connectToGateway(options, env);
  const { gateway } = await api.get<StatusView>('/api/status');
  const since = parseTimeArg(options.since ?? '24h', gateway.now, '--since');
  const until = options.until !== undefined ? parseTimeArg(options.until, gateway.now, '--until') : undefined;
  const max = options.limit ?? Number.POSITIVE_INFINITY;
  const rows: StoredReading[] = [];
  const seen = new Set<number>();
  let from = since;
  for (;;) {
    const query = new URLSearchParams({ since: String(Math.floor(from)), limit: String(PAGE) });
    if (until !== undefined) query.set('until', String(Math.floor(until)));
    const page = await api.get<{ readings: StoredReading[] }>(`/api/sensors/${encodeURIComponent(sensorId)}/readings?${query.toString()}`);
    let added = 0;
    for (const r of page.readings) {
      if (seen.has(r.seq) || rows.length >= max) continue;
      seen.add(r.seq);
      rows.push(r);
      added++;
    }
    if (io.interactive === true) io.stderr.write(`\rfetched ${rows.length} reading(s)…`);
    const last = page.readings.at(-1);
    if (page.readings.length < PAGE || last === undefined || added === 0 || rows.length >= max) break;
    from = last.at; // same-millisecond rows are de-duplicated by seq
  }
  if (io.interactive === true) io.stderr.write('\n');
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
