/** The house at a glance, shared by the header, the title and the home page: gateways, sensors, active alarms. */
import type { Device, DeviceEvent, Sensor } from '../api/types.js';
import { useApp } from '../context.js';
import { useStore, useStores } from '../data/hooks.js';
import type { StoreState } from '../data/store.js';
import { activeAlarms, type ActiveAlarm } from '../logic/alarms.js';

export interface HouseState {
  readonly devices: StoreState<Device[]>;
  readonly sensors: StoreState<Sensor[]>;
  readonly alarms: readonly ActiveAlarm[];
  readonly offline: readonly Device[];
  readonly sensorName: (id: string | null) => string;
}

export function useHouseState(): HouseState {
  const { data } = useApp();
  const devices = useStore(data.devices);
  const sensors = useStore(data.sensors);
  const list = devices.data ?? [];
  const events = useStores(list.map((d) => data.events.get(d.id)));
  const byGateway = new Map<string, readonly DeviceEvent[]>();
  list.forEach((d, i) => byGateway.set(d.id, events[i]?.data ?? []));
  const names = new Map((sensors.data ?? []).map((s) => [s.id, s.name ?? s.sensorId]));
  return {
    devices,
    sensors,
    alarms: activeAlarms(byGateway),
    offline: list.filter((d) => !d.online && d.presence !== 'unknown'),
    sensorName: (id) => (id === null ? 'the gateway' : (names.get(id) ?? id.split(':').pop() ?? id)),
  };
}
