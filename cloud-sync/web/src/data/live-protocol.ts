/**
 * The browser's side of the live socket's protocol (the server's is
 * cloud-sync/server/modules/live/live-protocol.ts; the dashboard may not import it, so
 * live-protocol.test.ts holds the two together): the topics, the close codes the
 * client acts on, and the messages it reads.
 */
import type { Notification, Severity } from '../api/types.js';

export const LIVE_TOPICS = ['readings', 'events', 'notifications', 'presence', 'orders'] as const;
export type LiveTopic = (typeof LIVE_TOPICS)[number];

export const LIVE_CLOSE = {
  /** The token was refused: get a new one, then reconnect. */
  AUTH_FAILED: 4401,
  /** Every session of the user ended: only a refresh can tell whether this tab still has one. */
  SESSION_REVOKED: 4403,
} as const;

export interface LiveReading {
  readonly sensorId: string;
  readonly at: number;
  readonly value: number;
  readonly unit: string;
  readonly quality: string;
  readonly percent?: number;
  readonly litres?: number;
}

export type LiveEvent =
  | { readonly type: 'event'; readonly topic: 'readings'; readonly event: { readonly type: 'readings.ingested'; readonly gatewayId: string; readonly readings: readonly LiveReading[] } }
  | {
      readonly type: 'event';
      readonly topic: 'events';
      readonly event: {
        readonly type: 'event.raised';
        readonly gatewayId: string;
        readonly event: { readonly type: string; readonly sensorId: string | null; readonly state: 'raised' | 'cleared' | null; readonly severity: Severity; readonly message: string; readonly at: number };
      };
    }
  | { readonly type: 'event'; readonly topic: 'notifications'; readonly event: { readonly type: 'notification.created'; readonly notification: Notification } }
  | { readonly type: 'event'; readonly topic: 'presence'; readonly event: { readonly type: 'presence.changed'; readonly gatewayId: string; readonly presence: string; readonly at: number } }
  | {
      readonly type: 'event';
      readonly topic: 'orders';
      readonly event: { readonly type: 'order.changed'; readonly order: { readonly id: string; readonly number: string; readonly tankId: string; readonly status: string; readonly action: string; readonly at: number } };
    };

export type LiveServerMessage = { readonly type: 'ready' | 'subscribed' | 'pong' } | LiveEvent;

const TOPICS = new Set<string>(LIVE_TOPICS);

/** The message, or undefined for anything this client does not understand (ignored, never fatal). */
export function parseServerMessage(data: unknown): LiveServerMessage | undefined {
  if (typeof data !== 'string') return undefined;
  let value: unknown;
  try {
    value = JSON.parse(data);
  } catch {
    return undefined;
  }
  if (typeof value !== 'object' || value === null) return undefined;
  const m = value as { type?: unknown; topic?: unknown; event?: unknown };
  if (m.type === 'ready' || m.type === 'subscribed' || m.type === 'pong') return { type: m.type };
  if (m.type !== 'event' || typeof m.topic !== 'string' || !TOPICS.has(m.topic) || typeof m.event !== 'object' || m.event === null) return undefined;
  return value as LiveEvent;
}
