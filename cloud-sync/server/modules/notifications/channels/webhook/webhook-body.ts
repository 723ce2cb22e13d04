/** The JSON a webhook receives: everything a receiver needs to show or route the alert. */
import { adviceFor } from '../advice.js';
import { headline, isWebLink, oneLine, type NotificationMessage } from '../message.js';

export interface WebhookBody {
  readonly id: string;
  readonly type: 'notification';
  /** The alert this is a state of: a newer body with the same alert supersedes older ones. */
  readonly alert: string;
  readonly severity: NotificationMessage['severity'];
  readonly kind: string;
  /** "ALARM: Kitchen: gas alarm", ready for a chat line. */
  readonly headline: string;
  readonly title: string;
  readonly body: string;
  readonly advice: readonly string[];
  readonly occurredAt: number;
  readonly occurredAtIso: string;
  readonly links: { readonly dashboard: string; readonly acknowledge?: string };
}

export function webhookBody(message: NotificationMessage): WebhookBody {
  const ack = message.links.acknowledge;
  return {
    id: message.id,
    type: 'notification',
    alert: message.topicKey,
    severity: message.severity,
    kind: message.kind,
    headline: headline(message),
    title: oneLine(message.title),
    body: message.body.trim(),
    advice: adviceFor(message.kind, message.severity),
    occurredAt: message.occurredAt,
    occurredAtIso: new Date(message.occurredAt).toISOString(),
    links: { dashboard: message.links.dashboard, ...(ack !== undefined && isWebLink(ack) ? { acknowledge: ack } : {}) },
  };
}
