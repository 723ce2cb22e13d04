/**
 * Every store of the app, one per API resource, built from the API client. A pushed
 * change lands in the same stores (live-apply.ts); polling, the fallback, refreshes
 * the watched ones.
 */
import type { ApiFailure } from '../api/api-failure.js';
import type { ApiClient } from '../api/api-client.js';
import type { AlertRule, Analytics, ChannelAddress, Delivery, Device, DeviceEvent, DeviceStatusView, History, Latest, Notification, Order, Sensor, Tank, TankAnalytics, User } from '../api/types.js';
import { Store, StoreFamily } from './store.js';

export const EVENTS_PER_GATEWAY = 200;
export const UNREAD_LIMIT = 100;

export class AppData {
  readonly me: Store<User>;
  readonly devices: Store<Device[]>;
  readonly sensors: Store<Sensor[]>;
  readonly status: StoreFamily<DeviceStatusView>;
  readonly events: StoreFamily<DeviceEvent[]>;
  readonly latest: StoreFamily<Latest>;
  /** Key: `${sensorId}|${days}`. */
  readonly analytics: StoreFamily<Analytics>;
  /** Key: `${sensorId}|${from}|${to}|${bucket}`. */
  readonly history: StoreFamily<History>;
  readonly alerts: Store<AlertRule[]>;
  readonly notifications: Store<Notification[]>;
  readonly unread: Store<Notification[]>;
  /** A notification's deliveries and their attempts, by notification id. */
  readonly deliveries: StoreFamily<Delivery[]>;
  /** Where notifications go: email, SMS, webhooks, push subscriptions. */
  readonly channels: Store<ChannelAddress[]>;
  readonly tanks: Store<Tank[]>;
  /** Key: `${tankId}|${days}`. */
  readonly tankAnalytics: StoreFamily<TankAnalytics>;
  readonly orders: Store<Order[]>;
  /** One order with its history, by id. */
  readonly order: StoreFamily<Order>;

  constructor(
    readonly api: ApiClient,
    readonly now: () => number,
    readonly timeZone: string,
  ) {
    const store = <T>(name: string, load: () => Promise<T>) => new Store<T>(name, load, now);
    // An empty id: the page does not know it yet (still loading); nothing to fetch.
    const keyed = <T>(name: string, id: string, load: () => Promise<T>) => new Store<T>(name, id === '' ? undefined : load, now);
    this.me = store('me', () => api.me());
    this.devices = store('devices', () => api.devices());
    this.sensors = store('sensors', () => api.sensors());
    this.status = new StoreFamily('status', (id) => keyed(`status:${id}`, id, () => api.deviceStatus(id)));
    this.events = new StoreFamily('events', (id) => keyed(`events:${id}`, id, () => api.deviceEvents(id, { limit: EVENTS_PER_GATEWAY })));
    this.latest = new StoreFamily('latest', (id) => keyed(`latest:${id}`, id, () => api.latest(id)));
    this.analytics = new StoreFamily('analytics', (key) => {
      const [id = '', days = '7'] = key.split('|');
      return keyed(`analytics:${key}`, id, () => api.analytics(id, Number(days), timeZone));
    });
    this.history = new StoreFamily('history', (key) => {
      const [id = '', from = '0', to = '0', bucket = '1h'] = key.split('|');
      return keyed(`history:${key}`, id, () => api.history(id, { from: Number(from), to: Number(to), bucket }));
    });
    this.alerts = store('alerts', () => api.alerts());
    this.notifications = store('notifications', () => api.notifications({ limit: 50 }));
    this.unread = store('unread', () => api.notifications({ unreadOnly: true, limit: UNREAD_LIMIT }));
    this.deliveries = new StoreFamily('deliveries', (id) => keyed(`deliveries:${id}`, id, () => api.deliveries(id)));
    this.channels = store('channels', () => api.channels());
    this.tanks = store('tanks', () => api.tanks());
    this.tankAnalytics = new StoreFamily('tankAnalytics', (key) => {
      const [id = '', days = '30'] = key.split('|');
      return keyed(`tankAnalytics:${key}`, id, () => api.tankAnalytics(id, Number(days), timeZone));
    });
    this.orders = store('orders', () => api.orders({ limit: 200 }));
    this.order = new StoreFamily('order', (id) => keyed(`order:${id}`, id, () => api.order(id)));
  }

  #all(): Store<unknown>[] {
    const singles: Store<unknown>[] = [this.me, this.devices, this.sensors, this.alerts, this.notifications, this.unread, this.channels, this.tanks, this.orders] as Store<unknown>[];
    const families = [this.status, this.events, this.latest, this.analytics, this.history, this.tankAnalytics, this.order, this.deliveries] as StoreFamily<unknown>[];
    return [...singles, ...families.flatMap((f) => f.all())];
  }

  /** Refreshes what some page shows; answers the failures (empty when all went well). */
  async refreshWatched(): Promise<ApiFailure[]> {
    const watched = this.#all().filter((s) => s.watched);
    await Promise.all(watched.map((s) => s.refresh()));
    return watched.map((s) => s.state.error).filter((e): e is ApiFailure => e !== undefined);
  }

  /** After a write that changes the alarm picture (mark read, a rule change): refresh what depends on it. */
  refreshNotifications(): void {
    void this.notifications.refresh();
    void this.unread.refresh();
  }

  /** After an order or a level changed (here or pushed): the order, the lists and the tanks' analytics that show it. */
  refreshOrders(orderId?: string): void {
    const stores = [this.orders, ...this.tankAnalytics.all(), ...(orderId === undefined ? this.order.all() : [this.order.get(orderId)])] as Store<unknown>[];
    stores.filter((s) => s.watched).forEach((s) => void s.refresh());
  }
}
