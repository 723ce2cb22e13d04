/**
 * Twilio's Programmable Messaging REST API: POST
 * {base}/2010-04-01/Accounts/{AccountSid}/Messages.json, form-encoded To, From (or
 * MessagingServiceSid) and Body, HTTP basic auth with the account sid and auth
 * token; 201 answers the message resource (its `sid`); errors answer
 * { code, message, more_info, status }. Codes that condemn the number turn it off;
 * a refused account or a busy provider is retried.
 *
 * A timed-out request is retried although Twilio may have taken it: two alarms
 * beat none, and the API has no idempotency key to do better.
 */
import { delivered, describeError, failed, retryLater, type SendOutcome } from '../channel.js';
import { channelError } from '../channel-errors.js';
import { parseRetryAfter } from '../retry-after.js';
import type { SmsSettings } from '../settings.js';
import type { OutgoingSms, SmsProvider } from './sms-provider.js';

/** Twilio error codes that mean this number will never take our SMS. */
const NUMBER_REFUSED = new Map<number, string>([
  [21211, "the 'To' number is not a valid phone number"],
  [21614, "the 'To' number is not a mobile number"],
  [21612, "the 'To' number cannot be reached by SMS"],
  [21217, "the 'To' number is not a valid phone number"],
]);
const OPTED_OUT = 21610;
const AUTH_FAILED = 20003;
const RATE_LIMITED = 20429;

interface TwilioAnswer {
  readonly sid?: unknown;
  readonly code?: unknown;
  readonly message?: unknown;
}

export interface TwilioProviderOptions {
  readonly now: () => number;
  readonly timeoutMs?: number;
}

export function createTwilioProvider(settings: SmsSettings, options: TwilioProviderOptions): SmsProvider {
  const url = `${settings.baseUrl}/2010-04-01/Accounts/${encodeURIComponent(settings.accountSid)}/Messages.json`;
  const sender = /^MG[0-9a-fA-F]{32}$/.test(settings.from) ? 'MessagingServiceSid' : 'From';

  return {
    name: 'twilio',
    async send(sms: OutgoingSms): Promise<SendOutcome> {
      const form = new URLSearchParams({ To: sms.to, [sender]: settings.from, Body: sms.body });
      let response: Response;
      let answer: TwilioAnswer;
      try {
        response = await fetch(url, {
          method: 'POST',
          headers: {
            Authorization: `Basic ${Buffer.from(`${settings.accountSid}:${settings.authToken.reveal()}`).toString('base64')}`,
            'Content-Type': 'application/x-www-form-urlencoded',
            Accept: 'application/json',
            'User-Agent': 'EasyGas-Notifications/1',
          },
          body: form.toString(),
          redirect: 'error',
          signal: AbortSignal.timeout(options.timeoutMs ?? 15_000),
        });
        answer = await readAnswer(response);
      } catch (error) {
        return retryLater(channelError('SMS_UNREACHABLE', { reason: describeError(error) }));
      }
      return twilioOutcome(response.status, answer, response.headers.get('retry-after') ?? undefined, options.now());
    },
  };
}

async function readAnswer(response: Response): Promise<TwilioAnswer> {
  const text = await response.text();
  try {
    const parsed: unknown = JSON.parse(text);
    return typeof parsed === 'object' && parsed !== null ? parsed : {};
  } catch {
    return { message: text.slice(0, 200) };
  }
}

export function twilioOutcome(status: number, answer: TwilioAnswer, retryAfter: string | undefined, now: number): SendOutcome {
  const code = typeof answer.code === 'number' ? answer.code : undefined;
  const reason = typeof answer.message === 'string' && answer.message !== '' ? answer.message : `HTTP ${status}`;
  if (status >= 200 && status < 300) {
    if (typeof answer.sid === 'string' && answer.sid !== '') return delivered(answer.sid);
    // Accepted but unreadable: sending again could double the SMS, so it counts as sent.
    return delivered(`twilio:unknown-sid:${now}`, 'the provider accepted the message without a readable sid');
  }
  const providerCode = code ?? status;
  if (code !== undefined && NUMBER_REFUSED.has(code)) {
    return failed(channelError('SMS_NUMBER_REFUSED', { providerCode: code, reason: NUMBER_REFUSED.get(code) ?? reason }, code), true);
  }
  if (code === OPTED_OUT) return failed(channelError('SMS_OPTED_OUT', {}, code), true);
  if (status === 401 || code === AUTH_FAILED) return retryLater(channelError('SMS_AUTH_FAILED', { status }, providerCode));
  if (status === 429 || status >= 500 || code === RATE_LIMITED) {
    return retryLater(channelError('SMS_BUSY', { status }, providerCode), parseRetryAfter(retryAfter, now));
  }
  return failed(channelError('SMS_REJECTED', { status, providerCode, reason }, providerCode));
}
