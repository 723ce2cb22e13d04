/**
 * The service worker the build writes to /sw.js: it shows each push the cloud sends
 * (the payload of modules/notifications/channels/push/push-payload.ts) as a system
 * notification, tagged so a newer state of the same alarm replaces the older, and on
 * a click opens the dashboard (or, from the "Acknowledge" button, the alarm's
 * acknowledge link). It caches nothing: the dashboard is always fetched fresh.
 *
 * Typed with the few service-worker shapes it uses: the dashboard compiles against
 * the DOM library, which has no ServiceWorkerGlobalScope.
 */

interface PushPayload {
  readonly title: string;
  readonly body: string;
  readonly tag: string;
  readonly timestamp: number;
  readonly url: string;
  readonly acknowledgeUrl?: string;
  readonly requireInteraction: boolean;
}

interface ExtendableEvent {
  waitUntil(promise: Promise<unknown>): void;
}
interface PushEventLike extends ExtendableEvent {
  readonly data: { text(): string } | null;
}
interface NotificationClickLike extends ExtendableEvent {
  readonly action: string;
  readonly notification: { readonly data: unknown; close(): void };
}
interface WindowClientLike {
  readonly url: string;
  focus(): Promise<unknown>;
  navigate(url: string): Promise<unknown>;
}
interface WorkerScope {
  readonly location: { readonly origin: string };
  readonly registration: { showNotification(title: string, options: Record<string, unknown>): Promise<void> };
  readonly clients: { matchAll(options: { type: 'window'; includeUncontrolled: boolean }): Promise<readonly WindowClientLike[]>; openWindow(url: string): Promise<unknown>; claim(): Promise<void> };
  skipWaiting(): Promise<void>;
  addEventListener(type: 'push', listener: (event: PushEventLike) => void): void;
  addEventListener(type: 'notificationclick', listener: (event: NotificationClickLike) => void): void;
  addEventListener(type: 'install' | 'activate', listener: (event: ExtendableEvent) => void): void;
}

const worker = self as unknown as WorkerScope;
const ACKNOWLEDGE = 'acknowledge';

/** A payload from our cloud, or a plain line when something else (a test tool) pushed text. */
function parse(text: string): PushPayload {
  try {
    const p = JSON.parse(text) as Partial<PushPayload>;
    if (typeof p.title === 'string') {
      return {
        title: p.title,
        body: typeof p.body === 'string' ? p.body : '',
        tag: typeof p.tag === 'string' ? p.tag : '',
        timestamp: typeof p.timestamp === 'number' ? p.timestamp : Date.now(),
        url: typeof p.url === 'string' ? p.url : '/notifications',
        ...(typeof p.acknowledgeUrl === 'string' ? { acknowledgeUrl: p.acknowledgeUrl } : {}),
        requireInteraction: p.requireInteraction === true,
      };
    }
  } catch {
    // Not JSON: shown as it is.
  }
  return { title: 'EasyGas', body: text, tag: '', timestamp: Date.now(), url: '/notifications', requireInteraction: false };
}

/** Only links to this dashboard are opened: a payload cannot send the user elsewhere. */
function sameOrigin(url: string): string {
  try {
    const u = new URL(url, worker.location.origin);
    return u.origin === worker.location.origin ? u.href : `${worker.location.origin}/notifications`;
  } catch {
    return `${worker.location.origin}/notifications`;
  }
}

worker.addEventListener('install', (event) => event.waitUntil(worker.skipWaiting()));
worker.addEventListener('activate', (event) => event.waitUntil(worker.clients.claim()));

worker.addEventListener('push', (event) => {
  const payload = parse(event.data?.text() ?? '');
  event.waitUntil(
    worker.registration.showNotification(payload.title, {
      body: payload.body,
      ...(payload.tag === '' ? {} : { tag: payload.tag, renotify: true }),
      timestamp: payload.timestamp,
      requireInteraction: payload.requireInteraction,
      data: { url: payload.url, acknowledgeUrl: payload.acknowledgeUrl },
      ...(payload.acknowledgeUrl === undefined ? {} : { actions: [{ action: ACKNOWLEDGE, title: 'Acknowledge' }] }),
    }),
  );
});

worker.addEventListener('notificationclick', (event) => {
  event.notification.close();
  const data = (event.notification.data ?? {}) as { url?: string; acknowledgeUrl?: string };
  const target = sameOrigin(event.action === ACKNOWLEDGE && data.acknowledgeUrl !== undefined ? data.acknowledgeUrl : (data.url ?? '/notifications'));
  event.waitUntil(
    (async () => {
      // An open dashboard tab is reused rather than opening another.
      const open = (await worker.clients.matchAll({ type: 'window', includeUncontrolled: true })).find((c) => c.url.startsWith(worker.location.origin));
      if (open === undefined) return worker.clients.openWindow(target);
      await open.navigate(target);
      return open.focus();
    })(),
  );
});
