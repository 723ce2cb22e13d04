/**
 * The read-only status page a homeowner opens on the home network when the
 * internet is down: levels, alarms and sensor health, in one self-contained HTML
 * document (inline CSS, no script, no external asset) that refreshes itself.
 */
import { HEALTH_WORDS, readingText } from './sensor-text.js';
import type { SensorView, StatusView } from './status-view.js';

export const REFRESH_SECONDS = 10;

function esc(text: string): string {
  return text.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c] ?? c);
}

function sensorRow(s: SensorView, now: number): string {
  const healthy = s.health === 'ok';
  // The bar only for a current level: a faulty sensor's last value is words, not a gauge.
  const bar =
    s.kind === 'level' && s.percent !== undefined
      ? `<div class="bar"><span style="width:${Math.max(0, Math.min(100, s.percent)).toFixed(0)}%"></span></div>`
      : '';
  return (
    `<tr data-sensor="${esc(s.id)}"><td>${esc(s.name)}<br><small>${esc(s.id)} · ${esc(s.kind)}</small></td>` +
    `<td class="value">${esc(readingText(s, now))}${bar}</td>` +
    `<td class="health ${healthy ? 'ok' : 'bad'}">${esc(HEALTH_WORDS[s.health] ?? s.health)}${s.hint !== undefined ? `<br><small>${esc(s.hint)}</small>` : ''}</td></tr>`
  );
}

/** Beside a simulated time, so it is never read as real (last sync is real time). */
export function simulatedNote(speed: number | undefined): string {
  return speed === undefined ? '' : ` (simulated time: a ${speed}× time-lapse until it catches up with real time)`;
}

export function renderStatusPage(view: StatusView): string {
  const { gateway } = view;
  const alarms =
    view.alarms.length === 0
      ? '<p class="calm" id="no-alarms">No active alarms.</p>'
      : `<ul id="alarms">${view.alarms
          .map(
            (a) =>
              `<li class="${esc(a.severity)}" data-alarm="${esc(a.key)}"><strong>${esc(a.severity.toUpperCase())}</strong> ${esc(a.message)}` +
              `${a.silencedForS !== undefined ? ` <em>(silenced, sounds again in ${Math.ceil(a.silencedForS / 60)} min)</em>` : ''}</li>`,
          )
          .join('')}</ul>`;
  const lastSync = view.sync.lastSyncAt === undefined ? 'never' : new Date(view.sync.lastSyncAt).toISOString().replace('T', ' ').slice(0, 19) + ' UTC';
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta http-equiv="refresh" content="${REFRESH_SECONDS}">
<title>${esc(gateway.name)} — EasyGas</title>
<style>
body{font-family:system-ui,sans-serif;margin:1rem auto;max-width:46rem;padding:0 1rem;color:#222}
h1{font-size:1.4rem}table{width:100%;border-collapse:collapse}td{padding:.5rem;border-bottom:1px solid #ddd;vertical-align:top}
.value{font-size:1.2rem}.ok{color:#176b1f}.bad{color:#b00020;font-weight:bold}.calm{color:#176b1f}
.bar{background:#eee;height:.5rem;border-radius:.25rem;margin-top:.3rem}.bar span{display:block;height:100%;background:#2b7bb9;border-radius:.25rem}
li.critical{color:#b00020}li.warning{color:#9a5b00}small{color:#666}footer{margin-top:1.5rem;color:#666;font-size:.85rem}
</style></head>
<body>
<h1>${esc(gateway.name)}</h1>
<section><h2>Alarms</h2>${view.testing ? '<p><strong>Alarm test in progress.</strong></p>' : ''}${alarms}</section>
<section><h2>Sensors</h2><table id="sensors">${view.sensors.map((s) => sensorRow(s, gateway.now)).join('')}</table>
<p><small>The gas sniffer is supplementary, not a listed gas alarm: keep a certified LPG detector too.</small></p></section>
<footer>Updated ${new Date(gateway.now).toISOString().replace('T', ' ').slice(0, 19)} UTC${simulatedNote(gateway.simulatedSpeed)}${gateway.clockSynced ? '' : ' (clock not synchronised)'} ·
cloud sync: ${esc(view.sync.state)}, ${view.sync.backlog} waiting, last ${esc(lastSync)} ·
EasyGas ${esc(gateway.version)} · refreshes every ${REFRESH_SECONDS} s</footer>
</body></html>
`;
}
