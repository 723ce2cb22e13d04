/**
 * This browser's web push: what state it is in, and turning it on and off. Looking
 * never asks for permission; only `enablePush`, which runs when the user clicks
 * "Enable push", calls Notification.requestPermission. The service worker at /sw.js
 * shows what arrives (cloud-sync/web/src/service-worker/sw.ts).
 */
import { ApiFailure } from '../api/api-failure.js';
import type { ApiClient } from '../api/api-client.js';
import type { PushSubscriptionJson } from '../api/types.js';

export type PushState =
  | { readonly kind: 'unsupported' }
  | { readonly kind: 'not-configured' }
  | { readonly kind: 'denied' }
  | { readonly kind: 'off' }
  | { readonly kind: 'on' };

export const SERVICE_WORKER_URL = '/sw.js';

export function pushSupported(): boolean {
  return typeof window !== 'undefined' && 'serviceWorker' in navigator && 'PushManager' in window && 'Notification' in window && window.isSecureContext;
}

async function currentSubscription(): Promise<PushSubscription | null> {
  const registration = await navigator.serviceWorker.getRegistration('/');
  return (await registration?.pushManager.getSubscription()) ?? null;
}

/** The VAPID key, or undefined when the server sends no push. */
async function serverKey(api: ApiClient): Promise<string | undefined> {
  try {
    return (await api.pushPublicKey()).publicKey;
  } catch (error) {
    if (error instanceof ApiFailure && error.code === 'EASYGAS_PUSH_NOT_CONFIGURED') return undefined;
    throw error;
  }
}

/** Where push stands here, without asking the user anything. */
export async function pushState(api: ApiClient): Promise<PushState> {
  if (!pushSupported()) return { kind: 'unsupported' };
  if ((await serverKey(api)) === undefined) return { kind: 'not-configured' };
  if (Notification.permission === 'denied') return { kind: 'denied' };
  return (await currentSubscription()) !== null && Notification.permission === 'granted' ? { kind: 'on' } : { kind: 'off' };
}

/** The applicationServerKey as bytes (the key is URL-safe base64 without padding). */
export function keyBytes(base64url: string): Uint8Array<ArrayBuffer> {
  const base64 = base64url.replace(/-/g, '+').replace(/_/g, '/').padEnd(Math.ceil(base64url.length / 4) * 4, '=');
  const binary = atob(base64);
  const bytes = new Uint8Array(binary.length);
  for (let i = 0; i < binary.length; i++) bytes[i] = binary.charCodeAt(i);
  return bytes;
}

/** Asks for permission (the user just clicked), registers the worker, subscribes, and tells the server. */
export async function enablePush(api: ApiClient): Promise<PushState> {
  const permission = await Notification.requestPermission();
  if (permission === 'denied') return { kind: 'denied' };
  if (permission !== 'granted') return { kind: 'off' };
  const key = await serverKey(api);
  if (key === undefined) return { kind: 'not-configured' };
  const registration = await navigator.serviceWorker.register(SERVICE_WORKER_URL, { scope: '/' });
  await navigator.serviceWorker.ready;
  const existing = await registration.pushManager.getSubscription();
  // A subscription made with another key (the server's keys changed) cannot be used: start again.
  if (existing !== null && !sameKey(existing.options.applicationServerKey, key)) await existing.unsubscribe();
  const subscription = await registration.pushManager.subscribe({ userVisibleOnly: true, applicationServerKey: keyBytes(key) });
  await api.addPushSubscription(subscription.toJSON() as PushSubscriptionJson);
  return { kind: 'on' };
}

/** Unsubscribes this browser and tells the server to forget it. */
export async function disablePush(api: ApiClient): Promise<PushState> {
  const subscription = await currentSubscription();
  if (subscription !== null) {
    const endpoint = subscription.endpoint;
    await subscription.unsubscribe();
    await api.deletePushSubscription(endpoint);
  }
  return { kind: 'off' };
}

function sameKey(buffer: ArrayBuffer | null, key: string): boolean {
  if (buffer === null) return false;
  const a = new Uint8Array(buffer);
  const b = keyBytes(key);
  return a.length === b.length && a.every((v, i) => v === b[i]);
}
