/**
 * Channel addresses and notification deliveries in a homeowner's words: what kind
 * of address it is, whether alarms reach it now (and why not), and how a delivery
 * went, attempt by attempt.
 */
import type { ChannelAddress, ChannelKind, Delivery } from '../api/types.js';
import type { PillTone } from '../components/ui.js';

export const KIND_LABELS: Readonly<Record<ChannelKind, string>> = {
  email: 'Email',
  sms: 'Text message',
  webhook: 'Webhook',
  push: 'Browser push',
};

export interface AddressState {
  readonly label: string;
  readonly tone: PillTone;
  /** What it means for alarms, and what to do, in a sentence. */
  readonly detail: string;
}

export function addressState(a: Pick<ChannelAddress, 'kind' | 'verified' | 'enabled' | 'disabledReason'> & { readonly contactName?: string | null }): AddressState {
  if (!a.enabled) {
    return { label: 'Turned off', tone: 'critical', detail: `Nothing is sent here: ${a.disabledReason ?? 'its provider refused it'}. Fix it, then add it again.` };
  }
  if (a.contactName !== undefined && a.contactName !== null) {
    return a.verified
      ? { label: 'Will be told', tone: 'ok', detail: 'Told once if a gas or leak alarm goes unacknowledged through all its reminders, and again when it clears. Nothing else.' }
      : { label: 'Not verified', tone: 'warning', detail: 'We emailed them a link saying who added them and why; until they open it, they are not told.' };
  }
  if (!a.verified) return { label: 'Not verified', tone: 'warning', detail: 'Open the link we emailed to this address; until then nothing is sent to it.' };
  return { label: a.kind === 'email' ? 'Verified' : 'Active', tone: 'ok', detail: a.kind === 'sms' ? 'Critical alarms only (a text message costs money).' : 'Notifications go here.' };
}

/** The target as a person reads it: a push subscription's endpoint means nothing to them. */
export function addressTarget(a: Pick<ChannelAddress, 'kind' | 'target'>): string {
  if (a.kind !== 'push') return a.target;
  try {
    return `a browser (via ${new URL(a.target).hostname})`;
  } catch {
    return 'a browser';
  }
}

export interface DeliveryStateWords {
  readonly label: string;
  readonly tone: PillTone;
}

const DELIVERY_STATES: Readonly<Record<Delivery['status'], DeliveryStateWords>> = {
  pending: { label: 'Queued', tone: 'info' },
  delivered: { label: 'Delivered', tone: 'ok' },
  failed: { label: 'Failed', tone: 'critical' },
  gone: { label: 'Address gone', tone: 'warning' },
  skipped: { label: 'Not sent', tone: 'neutral' },
};

export function deliveryState(status: Delivery['status']): DeliveryStateWords {
  return DELIVERY_STATES[status];
}

const OUTCOMES: Readonly<Record<string, string>> = {
  delivered: 'accepted by the provider',
  retry: 'will be tried again',
  failed: 'gave up',
  gone: 'the address no longer exists',
  sending: 'sending',
};

/** One attempt of the delivery log: "accepted by the provider", or the error the provider gave. */
export function attemptWords(attempt: Delivery['log'][number]): string {
  const outcome = OUTCOMES[attempt.outcome] ?? attempt.outcome;
  return attempt.error === null ? outcome : `${outcome}: ${attempt.error}`;
}

/** What "Send a test" says while its delivery is followed; undefined while there is nothing to say yet. */
export function testOutcomeWords(delivery: Pick<Delivery, 'status' | 'lastError'> | undefined): string {
  if (delivery === undefined || delivery.status === 'pending') {
    return delivery?.lastError === null || delivery === undefined ? 'Test queued: sending…' : `Test queued: not sent yet (${delivery.lastError}); trying again.`;
  }
  if (delivery.status === 'delivered') return 'Test delivered: the provider accepted it. Check that it arrived.';
  return `Test ${deliveryState(delivery.status).label.toLowerCase()}${delivery.lastError === null ? '' : `: ${delivery.lastError}`}`;
}
