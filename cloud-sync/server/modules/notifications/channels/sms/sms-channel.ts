/**
 * SMS through a provider: the number is normalised to E.164 first (a number that
 * cannot take an SMS fails at once, marked so the caller turns it off), then the
 * provider sends the short text.
 */
import { closedOutcome, failed, invalidMessageOutcome, unexpectedOutcome, type Channel, type SendOutcome } from '../channel.js';
import { channelError } from '../channel-errors.js';
import type { CountryCode } from 'libphonenumber-js/max';
import { normalisePhoneNumber } from './phone-number.js';
import type { SmsProvider } from './sms-provider.js';
import { smsText } from './sms-text.js';

export interface SmsAddress {
  readonly phone: string;
}

export function createSmsChannel(provider: SmsProvider, options: { defaultCountry?: CountryCode } = {}): Channel<SmsAddress> {
  let closed = false;
  return {
    kind: 'sms',
    async send(message, address): Promise<SendOutcome> {
      if (closed) return closedOutcome('sms');
      const invalid = invalidMessageOutcome(message);
      if (invalid !== undefined) return invalid;
      const number = normalisePhoneNumber(address.phone, options.defaultCountry);
      if (!number.ok) return failed(channelError('SMS_INVALID_NUMBER', { number: address.phone, reason: number.reason }), true);
      try {
        return await provider.send({ to: number.e164, body: smsText(message) });
      } catch (error) {
        return unexpectedOutcome(error);
      }
    },
    close() {
      closed = true;
      return Promise.resolve();
    },
  };
}
