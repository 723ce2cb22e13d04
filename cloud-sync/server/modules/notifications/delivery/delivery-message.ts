/** A stored notification as the channels receive it, and a stored address as each channel takes it. */
import type { ChannelAddress } from '../../../storage/delivery-types.js';
import type { Notification } from '../../../storage/types.js';
import type { NotificationMessage } from '../channels/index.js';

export interface MessageLinksBase {
  /** The dashboard's public address, e.g. https://easygas.example.org (no trailing slash). */
  readonly publicUrl: string;
}

/** The alert a notification is a state of: a newer state replaces the older on a device and threads with it in a mailbox. */
export function topicKeyOf(n: Pick<Notification, 'gatewayId' | 'sensorId' | 'type'>): string {
  return `${n.gatewayId ?? 'account'}|${n.sensorId ?? '-'}|${n.type.replace(/_(cleared|resolved)$/, '')}`;
}

export function deliveryMessage(deliveryId: string, n: Notification, base: MessageLinksBase, timeZone?: string): NotificationMessage {
  const resolved = n.type.endsWith('_cleared') || n.type.endsWith('_resolved');
  return {
    id: deliveryId,
    topicKey: topicKeyOf(n),
    severity: resolved ? 'resolved' : n.severity,
    kind: n.type,
    title: n.title,
    body: n.message,
    occurredAt: n.eventAt,
    ...(timeZone === undefined ? {} : { timeZone }),
    links: {
      dashboard: `${base.publicUrl}/notifications`,
      unsubscribe: `${base.publicUrl}/settings/notifications`,
      // A critical alarm repeats until acknowledged: the link opens the inbox on it, signed in, with a one-click Acknowledge.
      ...(n.severity === 'critical' && !resolved ? { acknowledge: `${base.publicUrl}/notifications?acknowledge=${encodeURIComponent(n.id)}` } : {}),
    },
  };
}

export type ChannelAddressWithSecret = ChannelAddress & { readonly secret: string | null };

/** The push subscription's keys are stored as JSON in `secret`; undefined when they are unreadable. */
export function pushKeys(address: ChannelAddressWithSecret): { p256dh: string; auth: string } | undefined {
  try {
    const keys = JSON.parse(address.secret ?? '') as { p256dh?: unknown; auth?: unknown };
    return typeof keys.p256dh === 'string' && typeof keys.auth === 'string' ? { p256dh: keys.p256dh, auth: keys.auth } : undefined;
  } catch {
    return undefined;
  }
}
