/** A gas sniffer, leak contact or thermometer: its state in words first, the number second. */
import type { JSX } from 'preact';
import type { Latest, Sensor } from '../api/types.js';
import { useApp } from '../context.js';
import { alarmWords, type ActiveAlarm } from '../logic/alarms.js';
import { sensorDisplay, type GatewayFreshness } from '../logic/freshness.js';
import { sensorPath } from '../router.js';
import { healthPill, ReadingTime } from './sensor-reading.js';
import { Link } from './ui.js';

const KIND_WORDS = { gas: 'Gas sniffer (MQ-6)', leak: 'Leak contact', temperature: 'Thermometer', level: 'Tank level' } as const;

export function SensorTile(props: { sensor: Sensor; latest: Latest | undefined; gateway: GatewayFreshness; alarm: ActiveAlarm | undefined }): JSX.Element {
  const { formats, now } = useApp();
  const s = props.sensor;
  const name = s.name ?? s.sensorId;
  const display = sensorDisplay(s, props.latest?.reading ?? null, props.gateway, now());
  const reading = display.kind === 'current' || display.kind === 'old' ? display.reading : undefined;
  let state: string | undefined;
  if (props.alarm !== undefined) state = alarmWords(props.alarm, name).headline;
  else if (reading !== undefined && s.kind === 'leak') state = reading.value >= 0.5 ? 'Wet' : 'Dry';
  else if (reading !== undefined && s.kind === 'gas') state = 'No gas detected';
  const alarmClass = props.alarm?.severity === 'critical' ? 'alarm' : props.alarm !== undefined ? 'warn' : '';
  return (
    <article class={`card tile ${alarmClass}`} data-testid="sensor-tile">
      <div class="card-head">
        <h3>
          <Link href={sensorPath(s.id)}>{name}</Link>
        </h3>
        {healthPill(s.health, display)}
      </div>
      <p class="small muted">{KIND_WORDS[s.kind]}</p>
      {reading !== undefined && (
        <>
          {state !== undefined && <p class="tile-state">{state}</p>}
          {s.kind !== 'leak' && (
            <p class={state === undefined ? 'tile-state' : 'muted'}>
              {formats.quantity(reading.value, reading.unit)}
              {s.kind === 'gas' && ' of the lower explosive limit'}
            </p>
          )}
        </>
      )}
      {reading === undefined && state !== undefined && <p class="tile-state">{state}</p>}
      <ReadingTime display={display} />
      {s.kind === 'gas' && <p class="small muted spaced">A supplementary sniffer, not a listed gas alarm: keep a certified detector too.</p>}
    </article>
  );
}
