/**
 * One small interface every notification channel implements. `send` never throws:
 * whatever happens becomes an outcome the delivery worker can act on without
 * knowing the channel (retry with back-off, give up, turn an address off, delete
 * a subscription).
 */
import { channelError, type ChannelError } from './channel-errors.js';
import { messageProblems, type NotificationMessage } from './message.js';

export type ChannelKind = 'email' | 'push' | 'sms' | 'webhook';

export interface Channel<Address> {
  readonly kind: ChannelKind;
  send(message: NotificationMessage, address: Address): Promise<SendOutcome>;
  /** Ends pooled connections; a send after close answers `retry`. */
  close(): Promise<void>;
}

/** The provider accepted the message. */
export interface Delivered {
  readonly status: 'delivered';
  /** The provider's id for it (SMTP Message-ID, push message resource, SMS sid, webhook delivery id). */
  readonly providerMessageId: string;
  /** The provider's own words (an SMTP queue reply), for the delivery log. */
  readonly detail?: string;
}

/** Worth trying again later: the provider is busy, down or unreachable. */
export interface RetryLater {
  readonly status: 'retry';
  readonly error: ChannelError;
  /** What the provider asked for (Retry-After), in ms; the worker's back-off applies when absent. */
  readonly retryAfterMs?: number;
}

/** Trying the same message again would fail the same way. */
export interface PermanentFailure {
  readonly status: 'failed';
  readonly error: ChannelError;
  /**
   * The address itself was refused (an SMTP hard bounce, an invalid phone number, a
   * number that opted out): the caller turns it off and tells the user.
   */
  readonly addressRejected: boolean;
}

/** The address no longer exists (an expired push subscription): delete it. */
export interface Gone {
  readonly status: 'gone';
  readonly error: ChannelError;
}

export type SendOutcome = Delivered | RetryLater | PermanentFailure | Gone;

export function delivered(providerMessageId: string, detail?: string): Delivered {
  return detail === undefined ? { status: 'delivered', providerMessageId } : { status: 'delivered', providerMessageId, detail };
}

export function retryLater(error: ChannelError, retryAfterMs?: number): RetryLater {
  return retryAfterMs === undefined ? { status: 'retry', error } : { status: 'retry', error, retryAfterMs };
}

export function failed(error: ChannelError, addressRejected = false): PermanentFailure {
  return { status: 'failed', error, addressRejected };
}

export function gone(error: ChannelError): Gone {
  return { status: 'gone', error };
}

/** What a closed channel answers: the worker keeps the delivery for another process. */
export function closedOutcome(kind: ChannelKind): RetryLater {
  return retryLater(channelError('CHANNEL_CLOSED', { kind }));
}

/** A message no channel can render (an empty title, a `javascript:` link) fails at once, without a send. */
export function invalidMessageOutcome(message: NotificationMessage): PermanentFailure | undefined {
  const problems = messageProblems(message);
  return problems.length === 0 ? undefined : failed(channelError('MESSAGE_INVALID', { reason: problems.join('; ') }));
}

/** A bug or an unforeseen failure inside a channel: retried (bounded by the worker), never thrown. */
export function unexpectedOutcome(error: unknown): RetryLater {
  return retryLater(channelError('CHANNEL_INTERNAL', { reason: describeError(error) }));
}

export function describeError(error: unknown): string {
  if (error instanceof Error) {
    const code = (error as { code?: unknown }).code;
    return typeof code === 'string' && !error.message.includes(code) ? `${code}: ${error.message}` : error.message;
  }
  return String(error);
}
