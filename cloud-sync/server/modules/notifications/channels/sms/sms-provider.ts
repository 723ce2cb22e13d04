/**
 * An SMS provider: one request, one outcome. The channel renders the text and
 * checks the number; a provider only speaks its API (Twilio's today; another
 * provider is one more adapter).
 */
import type { SendOutcome } from '../channel.js';

export interface OutgoingSms {
  /** E.164, already validated. */
  readonly to: string;
  readonly body: string;
}

export interface SmsProvider {
  readonly name: string;
  send(sms: OutgoingSms): Promise<SendOutcome>;
}
