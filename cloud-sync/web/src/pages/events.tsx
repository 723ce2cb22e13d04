/** Events: the alarm, fault and offline timeline of every gateway, with filters, and older pages on demand. */
import type { JSX } from 'preact';
import { useState } from 'preact/hooks';
import type { ApiFailure } from '../api/api-failure.js';
import type { DeviceEvent } from '../api/types.js';
import { EmptyState, FailureNotice, Link, Loading, Pill } from '../components/ui.js';
import type { HouseState } from '../components/use-house-state.js';
import { useApp, usePageName } from '../context.js';
import { EVENTS_PER_GATEWAY } from '../data/app-data.js';
import { useStores } from '../data/hooks.js';
import { eventTypeWords, filterEvents, type EventFilter } from '../logic/event-words.js';
import { sensorPath } from '../router.js';
import { asFailure } from '../components/use-action.js';

type Located = DeviceEvent & { readonly gatewayId: string };

export function EventsPage(props: { house: HouseState }): JSX.Element {
  usePageName('Events');
  const app = useApp();
  const { data, formats } = app;
  const devices = props.house.devices.data ?? [];
  const recent = useStores(devices.map((d) => data.events.get(d.id)));
  const [older, setOlder] = useState<Located[]>([]);
  const [exhausted, setExhausted] = useState(false);
  const [loadFailure, setLoadFailure] = useState<ApiFailure | undefined>();
  const [filter, setFilter] = useState<EventFilter>({ group: 'all', minSeverity: 'info', gatewayId: 'all', sensorId: 'all' });
  const merged = new Map<string, Located>();
  devices.forEach((d, i) => (recent[i]?.data ?? []).forEach((ev) => merged.set(`${d.id}:${ev.id}`, { ...ev, gatewayId: d.id })));
  older.forEach((ev) => merged.set(`${ev.gatewayId}:${ev.id}`, ev));
  const shown = filterEvents([...merged.values()], filter);
  const sensors = props.house.sensors.data ?? [];
  const failure = recent.find((r) => r.error !== undefined)?.error;

  const loadOlder = async () => {
    setLoadFailure(undefined);
    try {
      const pages = await Promise.all(
        devices.map(async (d) => {
          const mine = [...merged.values()].filter((e) => e.gatewayId === d.id);
          const oldest = mine.reduce((min, e) => Math.min(min, e.at), Infinity);
          if (!Number.isFinite(oldest)) return [];
          const page = await app.api.deviceEvents(d.id, { limit: EVENTS_PER_GATEWAY, before: oldest });
          return page.map((ev) => ({ ...ev, gatewayId: d.id }));
        }),
      );
      const more = pages.flat();
      if (more.length === 0) setExhausted(true);
      setOlder([...older, ...more]);
    } catch (error) {
      setLoadFailure(asFailure(error));
    }
  };
  const set = (patch: Partial<EventFilter>) => setFilter({ ...filter, ...patch });
  const severityTone = (s: string) => (s === 'critical' ? 'critical' : s === 'warning' ? 'warning' : 'info');

  return (
    <>
      <div class="page-head">
        <h1>Events</h1>
      </div>
      {failure !== undefined && <FailureNotice failure={failure} context="Could not update the events" />}
      <form class="filters card" aria-label="Filters" onSubmit={(e) => e.preventDefault()}>
        <div class="field">
          <label for="f-group">Kind</label>
          <select id="f-group" value={filter.group} onChange={(e) => set({ group: e.currentTarget.value as EventFilter['group'] })}>
            <option value="all">Everything</option>
            <option value="alarms">Alarms</option>
            <option value="faults">Sensor faults</option>
            <option value="connectivity">Gateway online/offline</option>
            <option value="other">Other</option>
          </select>
        </div>
        <div class="field">
          <label for="f-sev">Severity</label>
          <select id="f-sev" value={filter.minSeverity} onChange={(e) => set({ minSeverity: e.currentTarget.value as EventFilter['minSeverity'] })}>
            <option value="info">All</option>
            <option value="warning">Warnings and up</option>
            <option value="critical">Critical only</option>
          </select>
        </div>
        {devices.length > 1 && (
          <div class="field">
            <label for="f-gw">Gateway</label>
            <select id="f-gw" value={filter.gatewayId} onChange={(e) => set({ gatewayId: e.currentTarget.value })}>
              <option value="all">All gateways</option>
              {devices.map((d) => (
                <option key={d.id} value={d.id}>
                  {d.name}
                </option>
              ))}
            </select>
          </div>
        )}
        <div class="field">
          <label for="f-sensor">Sensor</label>
          <select id="f-sensor" value={filter.sensorId} onChange={(e) => set({ sensorId: e.currentTarget.value })}>
            <option value="all">All sensors</option>
            {sensors.map((s) => (
              <option key={s.id} value={s.id}>
                {s.name ?? s.sensorId}
              </option>
            ))}
          </select>
        </div>
      </form>
      {props.house.devices.data === undefined || recent.some((r) => r.data === undefined && r.error === undefined) ? (
        <Loading what="events" />
      ) : devices.length === 0 ? (
        <EmptyState title="No gateway yet" action={<Link class="button primary" href="/gateways?add=1">Add a gateway</Link>}>
          Alarms, sensor faults and gateway outages appear here once a gateway is connected.
        </EmptyState>
      ) : shown.length === 0 ? (
        <EmptyState title={merged.size === 0 ? 'Nothing has happened yet' : 'No event matches these filters'}>
          {merged.size === 0 ? 'Alarms, faults and outages will be listed here as they happen.' : 'Widen the filters above to see more.'}
        </EmptyState>
      ) : (
        <ul class="list timeline" aria-label="Events, newest first">
          {shown.map((e) => (
            <li key={`${e.gatewayId}:${e.id}`} class="card">
              <span class="small muted">
                <time dateTime={new Date(e.at).toISOString()}>{formats.dateTime(e.at, app.now())}</time>
                {!e.clockSynced && ' (time uncertain)'}
              </span>
              <div>
                <div class="actions">
                  <strong>{eventTypeWords(e.type)}</strong>
                  {e.state !== null && <Pill tone={e.state === 'cleared' ? 'ok' : severityTone(e.severity)}>{e.state === 'cleared' ? 'Cleared' : e.severity}</Pill>}
                  {e.state === null && <Pill tone={severityTone(e.severity)}>{e.severity}</Pill>}
                </div>
                <p>{e.message}</p>
                <p class="small muted">
                  {devices.find((d) => d.id === e.gatewayId)?.name}
                  {e.sensorId !== null && (
                    <>
                      {' · '}
                      <Link href={sensorPath(e.sensorId)}>{props.house.sensorName(e.sensorId)}</Link>
                    </>
                  )}
                </p>
              </div>
            </li>
          ))}
        </ul>
      )}
      {loadFailure !== undefined && <FailureNotice failure={loadFailure} retry={() => void loadOlder()} />}
      {merged.size > 0 && (
        <div class="actions spaced">
          <button type="button" disabled={exhausted} onClick={() => void loadOlder()}>
            {exhausted ? 'No older events' : 'Show older events'}
          </button>
        </div>
      )}
    </>
  );
}
