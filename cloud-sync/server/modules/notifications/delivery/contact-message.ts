/**
 * A notification as an emergency contact reads it: whose alarm, what, where, since
 * when, and that the owner has not acknowledged it — or, for its "resolved", that
 * it is over. A contact cannot sign in, so the links lead to the site, not to the
 * owner's inbox.
 */
import type { ContactContext } from '../../../storage/delivery-types.js';
import type { Notification } from '../../../storage/types.js';
import type { NotificationMessage } from '../channels/index.js';
import { deliveryMessage, type MessageLinksBase } from './delivery-message.js';

/** "15 Jan 2026 12:00 UTC": a contact's time zone is not known. */
function utc(at: number): string {
  return `${new Date(at).toISOString().slice(0, 16).replace('T', ' ')} UTC`;
}

/** The gateway's message as a sentence, so what follows it reads as the next one. */
function sentence(text: string): string {
  const trimmed = text.trim();
  return /[.!?]$/.test(trimmed) || trimmed === '' ? trimmed : `${trimmed}.`;
}

export function contactMessage(deliveryId: string, n: Notification, contact: ContactContext, base: MessageLinksBase): NotificationMessage {
  const own = deliveryMessage(deliveryId, n, base);
  const where = contact.place === null ? '' : ` at ${contact.place}`;
  const links = { dashboard: `${base.publicUrl}/`, unsubscribe: `${base.publicUrl}/` };
  const reason = `You get this because ${contact.ownerEmail} added you as their emergency contact for gas and leak alarms. To stop, ask them to remove you.`;
  if (own.severity === 'resolved') {
    return {
      ...own,
      title: `${n.title}${where} (${contact.ownerEmail})`,
      body: `${sentence(n.message)} The alarm you were told about${where} is over. You are ${contact.ownerEmail}'s emergency contact.`,
      links,
      reason,
    };
  }
  return {
    ...own,
    title: `${n.title}${where}: ${contact.ownerEmail} has not acknowledged it`,
    // Short enough that an SMS keeps what, where and since when (the title names the owner).
    body: `${sentence(n.message)} Where: ${contact.place ?? 'their home'}. Since ${utc(n.eventAt)}. Not acknowledged through every reminder: please check on them or the home.`,
    links,
    reason,
  };
}
