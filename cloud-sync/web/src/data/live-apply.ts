/**
 * What a pushed change does to the stores: a reading moves the sensor's latest value
 * at once (no round trip) and refetches the charts and usage that include it; an alarm
 * or fault refetches its gateway's events (the banners and the title come from them);
 * a notification is added to the inbox and the unread list; a presence change, or
 * news of a gateway the page has not listed yet, refetches the gateways. Only stores
 * some page shows are refetched.
 */
import type { Latest, Notification, Reading } from '../api/types.js';
import type { AppData } from './app-data.js';
import type { LiveEvent, LiveReading } from './live-protocol.js';
import type { Store } from './store.js';

const refreshWatched = (stores: readonly Store<unknown>[]) => stores.filter((s) => s.watched).forEach((s) => void s.refresh());

export function applyLiveEvent(data: AppData, message: LiveEvent): void {
  // A gateway the page does not know yet (it registered since: registering pushes nothing): the list needs it.
  const gatewayId = message.topic === 'notifications' ? message.event.notification.gatewayId : message.topic === 'orders' ? null : message.event.gatewayId;
  const devices = data.devices.state.data;
  if (gatewayId !== null && devices !== undefined && !devices.some((d) => d.id === gatewayId)) refreshWatched([data.devices] as Store<unknown>[]);
  switch (message.topic) {
    case 'readings': {
      const sensors = new Set(message.event.readings.map((r) => r.sensorId));
      for (const reading of message.event.readings) applyReading(data.latest.get(reading.sensorId), reading);
      // History keys are `${sensorId}|${from}|${to}|${bucket}`, analytics `${sensorId}|${days}`.
      const ofSensor = <T>(stores: Store<T>[]) => stores.filter((s) => sensors.has(s.name.slice(s.name.indexOf(':') + 1).split('|')[0] ?? ''));
      refreshWatched([...ofSensor(data.history.all()), ...ofSensor(data.analytics.all())] as Store<unknown>[]);
      // A sensor the list does not know yet (a new one on the gateway): the cards need it.
      const known = new Set((data.sensors.state.data ?? []).map((s) => s.id));
      if ([...sensors].some((id) => !known.has(id))) refreshWatched([data.sensors] as Store<unknown>[]);
      return;
    }
    case 'events':
      refreshWatched([data.events.get(message.event.gatewayId), data.status.get(message.event.gatewayId)] as Store<unknown>[]);
      return;
    case 'notifications': {
      const n = message.event.notification;
      addNotification(data.notifications, n);
      if (n.readAt === null) addNotification(data.unread, n);
      return;
    }
    case 'presence':
      refreshWatched([data.devices, data.status.get(message.event.gatewayId)] as Store<unknown>[]);
      return;
    case 'orders':
      // The order's own notification arrives on 'notifications'; here the order pages and lists refetch.
      data.refreshOrders(message.event.order.id);
      return;
  }
}

function applyReading(store: Store<Latest>, r: LiveReading): void {
  const current = store.state.data;
  if (current === undefined) {
    if (store.watched) void store.refresh();
    return;
  }
  const previous = current.reading;
  // An older reading (a late batch from a gateway catching up) never replaces a newer one.
  if (previous !== null && previous.at > r.at) return;
  const reading: Reading = {
    seq: previous?.seq ?? 0,
    raw: null,
    ppm: null,
    clockSynced: true,
    downsampled: null,
    ...previous,
    at: r.at,
    value: r.value,
    unit: r.unit,
    quality: r.quality as Reading['quality'],
    percent: r.percent ?? null,
    litres: r.litres ?? null,
  };
  store.set({ ...current, reading });
}

function addNotification(store: Store<Notification[]>, n: Notification): void {
  const list = store.state.data;
  if (list === undefined) {
    if (store.watched) void store.refresh();
    return;
  }
  if (list.some((m) => m.id === n.id)) return;
  store.set([n, ...list]);
}
