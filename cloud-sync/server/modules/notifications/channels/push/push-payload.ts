/**
 * What the service worker receives (decrypted) and how a push message is tagged.
 *
 * The Topic header (RFC 8030 §5.4) lets the push service replace an undelivered
 * older state of the same alarm with the newer one: at most 32 characters of the
 * URL-safe base64 alphabet, so it is a hash of the alert's key (which also keeps
 * sensor names out of the push service's sight). The service worker uses the same
 * value as the notification `tag`, so the device shows only the newest state.
 */
import { createHash } from 'node:crypto';
import { adviceFor } from '../advice.js';
import { headline, isWebLink, oneLine, type NotificationMessage } from '../message.js';

/** RFC 8291 allows 3993 bytes of plaintext in the one 4096-byte record web-push sends; keep a margin. */
export const MAX_PAYLOAD_BYTES = 3_800;

export interface PushPayload {
  readonly v: 1;
  readonly id: string;
  readonly tag: string;
  readonly severity: NotificationMessage['severity'];
  readonly kind: string;
  readonly title: string;
  readonly body: string;
  readonly timestamp: number;
  readonly url: string;
  readonly acknowledgeUrl?: string;
  readonly unsubscribeUrl?: string;
  /** A critical alarm stays on screen until the user acts. */
  readonly requireInteraction: boolean;
}

export function pushTopic(topicKey: string): string {
  return createHash('sha256').update(topicKey).digest().subarray(0, 24).toString('base64url');
}

export function pushUrgency(message: NotificationMessage): 'high' | 'normal' | 'low' {
  if (message.severity === 'critical') return 'high';
  return message.severity === 'info' ? 'low' : 'normal';
}

export function pushPayload(message: NotificationMessage): string {
  const advice = adviceFor(message.kind, message.severity);
  const text = [oneLine(message.body), ...advice.slice(0, 2)].filter((s) => s !== '').join('\n');
  const base: Omit<PushPayload, 'body'> = {
    v: 1,
    id: message.id,
    tag: pushTopic(message.topicKey),
    severity: message.severity,
    kind: message.kind,
    title: headline(message),
    timestamp: message.occurredAt,
    url: message.links.dashboard,
    ...(message.links.acknowledge !== undefined && isWebLink(message.links.acknowledge) ? { acknowledgeUrl: message.links.acknowledge } : {}),
    ...(isWebLink(message.links.unsubscribe) ? { unsubscribeUrl: message.links.unsubscribe } : {}),
    requireInteraction: message.severity === 'critical',
  };
  return fitBody(base, text);
}

/** Shortens the body (never the title or links) until the JSON fits one push record. */
function fitBody(base: Omit<PushPayload, 'body'>, text: string): string {
  let body = text;
  let json = JSON.stringify({ ...base, body });
  while (Buffer.byteLength(json) > MAX_PAYLOAD_BYTES && body.length > 0) {
    const excess = Buffer.byteLength(json) - MAX_PAYLOAD_BYTES;
    body = `${[...body].slice(0, Math.max(0, [...body].length - excess - 1)).join('')}…`.replace(/^…$/, '');
    json = JSON.stringify({ ...base, body });
  }
  return json;
}
