/**
 * The read commands that talk to the running gateway: status, sensors, read
 * SENSOR, sync status. Each prints text, or the API's JSON with --json.
 */
import type { LiveRead } from '../api/live-read.js';
import type { SensorView, StatusView } from '../api/status-view.js';
import type { SyncStatus } from '../api/sync-control.js';
import { printJson, type CliIo } from './cli-io.js';
import { connectToGateway } from './connect.js';
import type { TargetOptions } from './gateway-locator.js';
import { rounded } from '../api/sensor-text.js';
import { sensorTable, statusText, syncLine } from './status-format.js';

export interface ReadOptions extends TargetOptions {
  readonly json?: boolean;
}

export async function statusCommand(options: ReadOptions, io: CliIo, env?: NodeJS.ProcessEnv): Promise<number> {
  const api = await connectToGateway(options, env);
  const view = await api.get<StatusView>('/api/status');
  if (options.json === true) printJson(io, view);
  else io.stdout.write(`${statusText(view)}\n`);
  return 0;
}

export async function sensorsCommand(options: ReadOptions, io: CliIo, env?: NodeJS.ProcessEnv): Promise<number> {
  const api = await connectToGateway(options, env);
  const { sensors } = await api.get<{ sensors: SensorView[] }>('/api/sensors');
  if (options.json === true) printJson(io, { sensors });
  else io.stdout.write(`${sensorTable(sensors)}\n`);
  return 0;
}

/** Decimals worth showing per raw unit: an ADS1115 LSB is 62.5 µV at its finest, a distance whole mm. */
const RAW_DIGITS: Readonly<Record<string, number>> = { V: 4, mm: 0, '°C': 2, '': 0 };

export function liveReadText(read: LiveRead): string {
  const lines = [`${read.sensorId} at ${new Date(read.at).toISOString()}${read.warmingUp ? ' (warming up)' : ''}`];
  if (read.fault !== undefined) {
    lines.push(`  FAULT ${read.fault.code}: ${read.fault.message}`);
    if (read.fault.hint !== undefined) lines.push(`  ${read.fault.hint}`);
    return lines.join('\n');
  }
  if (read.raw !== undefined) lines.push(`  raw:        ${rounded(read.raw, RAW_DIGITS[read.rawUnit] ?? 3)} ${read.rawUnit}`.trimEnd());
  if (read.result !== undefined) {
    const r = read.result;
    if (r.calibrated !== r.value) lines.push(`  calibrated: ${r.calibrated.toFixed(3)}`);
    lines.push(`  value:      ${r.value.toFixed(2)} ${r.unit}`.trimEnd());
    if (r.litres !== undefined) lines.push(`  litres:     ${r.litres.toFixed(1)} L`);
    if (r.heightMm !== undefined) lines.push(`  height:     ${r.heightMm.toFixed(0)} mm`);
    if (r.ppm !== undefined) lines.push(`  ppm:        ${r.ppm.toFixed(0)}`);
  }
  if (read.error !== undefined) lines.push(`  cannot convert: ${read.error}`);
  return lines.join('\n');
}

export async function readCommand(sensorId: string, options: ReadOptions, io: CliIo, env?: NodeJS.ProcessEnv): Promise<number> {
  const api = await connectToGateway(options, env);
  const read = await api.post<LiveRead>(`/api/sensors/${encodeURIComponent(sensorId)}/read`);
  if (options.json === true) printJson(io, read);
  else io.stdout.write(`${liveReadText(read)}\n`);
  // A fault is an answer, but not a good one: scripts see it in the exit code.
  return read.fault !== undefined || read.error !== undefined ? 1 : 0;
}

export async function syncStatusCommand(options: ReadOptions, io: CliIo, env?: NodeJS.ProcessEnv): Promise<number> {
  const api = await connectToGateway(options, env);
  const status = await api.get<SyncStatus>('/api/sync');
  if (options.json === true) printJson(io, status);
  else io.stdout.write(`${syncLine(status)}\n`);
  return 0;
}

const SYNC_HINTS: Readonly<Record<SyncStatus['state'], string>> = {
  idle: '',
  syncing: 'It is still uploading: check again with easygas sync status.',
  backoff: 'The cloud or the network failed; it retries by itself. Check the network, or run easygas doctor.',
  unauthorized: 'The cloud refused this gateway’s credential: provision it again (easygas provision --force).',
  'not-provisioned': 'Provision it first: easygas provision --cloud URL --code CODE.',
  disabled: 'The config says cloud.enabled: false: remove that line and restart the gateway.',
};

export async function syncNowCommand(options: ReadOptions, io: CliIo, env?: NodeJS.ProcessEnv): Promise<number> {
  const api = await connectToGateway(options, env);
  const status = await api.post<SyncStatus>('/api/sync/now');
  if (options.json === true) printJson(io, status);
  else io.stdout.write(`${syncLine(status)}\n`);
  if (status.state === 'idle') return 0;
  io.stderr.write(`easygas: the upload did not finish: sync is ${status.state}${status.lastError !== undefined ? ` (${status.lastError})` : ''}\n  ${SYNC_HINTS[status.state]}\n`);
  return 1;
}
