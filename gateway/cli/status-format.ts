/** Plain-text renderings of the gateway's status for the terminal (`easygas status`, `easygas sensors`). */
import type { AlarmView, SensorView, StatusView } from '../api/status-view.js';
import type { SyncStatus } from '../api/sync-control.js';
import { simulatedNote } from '../api/status-page.js';

function fixed(value: number | undefined, digits: number): string {
  return value === undefined ? '—' : value.toFixed(digits);
}

export function sensorValue(s: SensorView): string {
  if (s.value === undefined) return '—';
  if (s.kind === 'leak') return s.value >= 0.5 ? 'WET' : 'dry';
  if (s.kind === 'level') return `${fixed(s.percent ?? s.value, 1)} %${s.litres !== undefined ? ` (${fixed(s.litres, 0)} L)` : ''}`;
  if (s.kind === 'gas') return `${fixed(s.value, 1)} %LEL${s.ppm !== undefined ? ` (${fixed(s.ppm, 0)} ppm)` : ''}`;
  return `${fixed(s.value, 1)} ${s.unit ?? ''}`.trim();
}

export function sensorTable(sensors: readonly SensorView[]): string {
  const rows = sensors.map((s) => [s.id, s.name, sensorValue(s), s.quality ?? '—', s.health + (s.hint !== undefined ? ` — ${s.hint}` : '')]);
  const header = ['SENSOR', 'NAME', 'VALUE', 'QUALITY', 'HEALTH'];
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => (r[i] ?? '').length)));
  const line = (cells: readonly string[]) =>
    cells
      .map((c, i) => (i === cells.length - 1 ? c : c.padEnd(widths[i] ?? 0)))
      .join('  ')
      .trimEnd();
  return [line(header), ...rows.map(line)].join('\n');
}

export function alarmLines(alarms: readonly AlarmView[]): string {
  if (alarms.length === 0) return 'Alarms: none';
  return ['Alarms:', ...alarms.map((a) => `  ${a.severity.toUpperCase()}${a.severe ? ' (severe)' : ''}  ${a.message}${a.silencedForS !== undefined ? ` — silenced for ${a.silencedForS} s more` : ''}`)].join('\n');
}

export function syncLine(sync: SyncStatus): string {
  const last = sync.lastSyncAt === undefined ? 'never' : new Date(sync.lastSyncAt).toISOString();
  return `Cloud sync: ${sync.state}, ${sync.backlog} record(s) waiting, last sync ${last}${sync.lastError !== undefined ? ` — ${sync.lastError}` : ''}`;
}

function duration(ms: number): string {
  const s = Math.max(0, Math.round(ms / 1000));
  if (s < 120) return `${s} s`;
  if (s < 7200) return `${Math.round(s / 60)} min`;
  if (s < 172_800) return `${Math.round(s / 3600)} h`;
  return `${Math.round(s / 86_400)} d`;
}

export function statusText(view: StatusView): string {
  const g = view.gateway;
  return [
    `${g.name} (${g.id}) — EasyGas ${g.version}, up ${duration(g.now - g.startedAt)}${simulatedNote(g.simulatedSpeed)}${g.clockSynced ? '' : ', CLOCK NOT SYNCHRONISED'}`,
    `Hardware: ${g.hardware}`,
    '',
    sensorTable(view.sensors),
    '',
    (view.testing ? 'Alarm test in progress.\n' : '') + alarmLines(view.alarms),
    syncLine(view.sync),
    ...(view.mqtt !== undefined ? [`MQTT: ${view.mqtt.state}${view.mqtt.url !== undefined ? ` (${view.mqtt.url})` : ''}`] : []),
  ].join('\n');
}
