/**
 * Every store of the app, one per API resource, built from the API client. The live
 * source refreshes the watched ones; a WebSocket message (issue 16) will name the
 * resource it changed and land in the same store through `applyLiveMessage`.
 */
import type { ApiFailure } from '../api/api-failure.js';
import type { ApiClient } from '../api/api-client.js';
import type { AlertRule, Analytics, Device, DeviceEvent, DeviceStatusView, History, Latest, Notification, Sensor, User } from '../api/types.js';
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
  }

  #all(): Store<unknown>[] {
    const singles: Store<unknown>[] = [this.me, this.devices, this.sensors, this.alerts, this.notifications, this.unread] as Store<unknown>[];
    const families = [this.status, this.events, this.latest, this.analytics, this.history] as StoreFamily<unknown>[];
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

  /**
   * A live message names what changed: `{ resource: "sensors" | "devices" | "notifications" | "events" | "alerts", id? }`.
   * Until the socket's message format is settled (issue 16), a message refreshes the stores of its resource.
   */
  applyLiveMessage(message: unknown): void {
    const m = (typeof message === 'string' ? safeJson(message) : message) as { resource?: unknown; id?: unknown } | undefined;
    const id = typeof m?.id === 'string' ? m.id : undefined;
    const refresh = (stores: readonly Store<unknown>[]) => stores.filter((s) => s.watched).forEach((s) => void s.refresh());
    switch (m?.resource) {
      case 'readings':
        refresh([...(id === undefined ? this.latest.all() : [this.latest.get(id)]), ...this.history.all(), ...this.analytics.all(), this.sensors] as Store<unknown>[]);
        break;
      case 'devices':
        refresh([this.devices, ...this.status.all()] as Store<unknown>[]);
        break;
      case 'events':
        refresh(this.events.all() as Store<unknown>[]);
        break;
      case 'notifications':
        refresh([this.notifications, this.unread] as Store<unknown>[]);
        break;
      case 'alerts':
        refresh([this.alerts] as Store<unknown>[]);
        break;
      default:
        break;
    }
  }
}

function safeJson(text: string): unknown {
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return undefined;
  }
}
