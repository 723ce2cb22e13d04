/** Plain-text renderings of the gateway's status for the terminal (`easygas status`, `easygas sensors`). */
import type { AlarmView, SensorView, StatusView } from '../api/status-view.js';
import type { SyncStatus } from '../api/sync-control.js';
import { simulatedNote } from '../api/status-page.js';
import { readingText } from '../api/sensor-text.js';

/** Terminal lines stay within this many columns: a long hint wraps on its own lines. */
export const LINE_WIDTH = 100;

/** Words wrapped to `width` columns, every line starting with `indent`. */
export function wrap(text: string, indent: string, width = LINE_WIDTH): string[] {
  const lines: string[] = [];
  let line = indent;
  for (const word of text.split(/\s+/).filter((w) => w !== '')) {
    if (line.length > indent.length && line.length + 1 + word.length > width) {
      lines.push(line);
      line = indent;
    }
    line += line.length > indent.length ? ` ${word}` : word;
  }
  if (line.length > indent.length) lines.push(line);
  return lines;
}

/**
 * One row per sensor: its id, name and reading (the value while ok; else its state,
 * since when, and the last good value as such); the fix for a fault on its own lines.
 */
export function sensorTable(sensors: readonly SensorView[], now = Date.now()): string {
  const rows: (readonly string[])[] = sensors.map((s) => [s.id, s.name, readingText(s, now)]);
  const header = ['SENSOR', 'NAME', 'READING'];
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => (r[i] ?? '').length)));
  // The reading wraps under itself rather than run past the line width.
  const line = (cells: readonly string[]): string[] => {
    const prefix = cells
      .slice(0, -1)
      .map((c, i) => c.padEnd(widths[i] ?? 0))
      .join('  ');
    const [first = '', ...rest] = wrap(cells.at(-1) ?? '', ' '.repeat(prefix.length + 2));
    return [`${prefix}  ${first.trimStart()}`.trimEnd(), ...rest];
  };
  const out = line(header);
  sensors.forEach((s, i) => {
    const row = rows[i];
    if (row === undefined) return;
    out.push(...line(row));
    if (s.hint !== undefined) out.push(...wrap(`fix: ${s.hint}`, '    '));
  });
  return out.join('\n');
}

export function alarmLines(alarms: readonly AlarmView[]): string {
  if (alarms.length === 0) return 'Alarms: none';
  const line = (a: AlarmView): string[] => {
    const head = `  ${a.severity.toUpperCase()}${a.severe ? ' (severe)' : ''}  `;
    const text = `${a.message}${a.silencedForS !== undefined ? ` — silenced for ${a.silencedForS} s more` : ''}`;
    const [first = '', ...rest] = wrap(text, ' '.repeat(head.length));
    return [head + first.trimStart(), ...rest];
  };
  return ['Alarms:', ...alarms.flatMap(line)].join('\n');
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
    `${g.name} (${g.id}) — EasyGas ${g.version}, up ${duration(g.now - g.startedAt)}${g.simulatedSpeed !== undefined ? ' (simulated)' : ''}${g.clockSynced ? '' : ', CLOCK NOT SYNCHRONISED'}`,
    // The note on a line of its own keeps the first within the line width.
    ...(g.simulatedSpeed !== undefined ? wrap(`Time:${simulatedNote(g.simulatedSpeed)}`, '') : []),
    ...wrap(`Hardware: ${g.hardware}`, ''),
    '',
    sensorTable(view.sensors, g.now),
    '',
    (view.testing ? 'Alarm test in progress.\n' : '') + alarmLines(view.alarms),
    syncLine(view.sync),
    ...(view.mqtt !== undefined ? [`MQTT: ${view.mqtt.state}${view.mqtt.url !== undefined ? ` (${view.mqtt.url})` : ''}`] : []),
  ].join('\n');
}
