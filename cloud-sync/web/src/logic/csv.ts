/** A history range as CSV: UTC and local time side by side, so a spreadsheet in any zone reads it right. */
import type { HistoryPoint } from '../api/types.js';

export function historyCsv(points: readonly HistoryPoint[], unit: string | null, timeZone: string): string {
  const local = new Intl.DateTimeFormat('sv-SE', { timeZone, year: 'numeric', month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit', second: '2-digit' });
  const u = unit === null || unit === '' ? '' : ` (${unit})`;
  const rows = [`time_utc,time_local (${timeZone}),min${u},avg${u},max${u},readings`];
  for (const p of points) rows.push([new Date(p.at).toISOString(), local.format(p.at), p.min, p.avg, p.max, p.count].join(','));
  return `${rows.join('\r\n')}\r\n`;
}

/** "lpg-cylinder_2026-03-01_2026-03-08.csv" */
export function csvFileName(sensorName: string, from: number, to: number): string {
  const slug = sensorName.toLowerCase().replace(/[^a-z0-9]+/g, '-').replace(/^-|-$/g, '') || 'sensor';
  const day = (at: number) => new Date(at).toISOString().slice(0, 10);
  return `${slug}_${day(from)}_${day(to)}.csv`;
}
