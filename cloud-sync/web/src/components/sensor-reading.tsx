/** The honest part of every sensor card: the state in words, or the number with its time (and why it is old). */
import type { JSX } from 'preact';
import { useApp } from '../context.js';
import type { SensorDisplay } from '../logic/freshness.js';
import { HEALTH_WORDS } from '../logic/freshness.js';
import type { Health } from '../api/types.js';
import { Pill, type PillTone } from './ui.js';

export function healthPill(health: Health | null, display: SensorDisplay): JSX.Element {
  if (display.kind === 'state') return <Pill tone={display.health === 'warming_up' ? 'info' : 'warning'}>{display.words}</Pill>;
  if (display.kind === 'old') return <Pill tone="stale">Stale</Pill>;
  if (display.kind === 'none') return <Pill tone="neutral">No data yet</Pill>;
  const tone: PillTone = health === null || health === 'ok' ? 'ok' : 'warning';
  return <Pill tone={tone}>{health === null ? 'Working' : HEALTH_WORDS[health].words}</Pill>;
}

/** "Last reading 14:05 (2 minutes ago)" plus the note when it is old or its clock was unsure. */
export function ReadingTime(props: { display: SensorDisplay }): JSX.Element | null {
  const { formats, now } = useApp();
  const d = props.display;
  const at = d.kind === 'current' || d.kind === 'old' ? d.reading.at : d.kind === 'state' ? d.lastAt : null;
  return (
    <>
      {at !== null && (
        <p class="small muted">
          Last reading {formats.dateTime(at, now())} ({formats.relative(at, now())})
          {(d.kind === 'current' || d.kind === 'old') && !d.reading.clockSynced && ' · the gateway’s clock was not yet set, so this time may be off'}
        </p>
      )}
      {d.kind === 'old' && <p class="old-note">{d.why}</p>}
      {d.kind === 'state' && (
        <div class="state-box" role="note">
          <strong>{d.words}</strong>
          <span class="small">{d.detail}</span>
        </div>
      )}
      {d.kind === 'none' && <p class="small muted">{d.words}</p>}
    </>
  );
}
