/**
 * The channels' catalogue of errors, for the people who read the delivery log: one
 * stable code per situation, and a message that says what happened and what to do.
 * Provider replies are quoted in the message; secrets never are.
 */
export const CHANNEL_ERRORS = {
  CHANNEL_CLOSED: 'the {kind} channel is shutting down: the delivery is left for another attempt',
  MESSAGE_INVALID: 'the message cannot be sent: {reason}',
  CHANNEL_INTERNAL: 'an unexpected failure in the channel ({reason}): it will be retried',

  EMAIL_ADDRESS_INVALID: 'the email address {address} is not valid: correct it in your account',
  EMAIL_HARD_BOUNCE: 'the mail server refused the address ({response}): alarms no longer go to it until you correct and verify it again',
  EMAIL_DEFERRED: 'the mail server asked to try again later ({response})',
  EMAIL_REJECTED: 'the mail server refused the message at {command} ({response})',
  EMAIL_AUTH_FAILED: 'the mail server refused the SMTP user or password ({response}): check the SMTP settings',
  EMAIL_TLS_FAILED: 'the secure connection to the mail server failed ({reason}): check the SMTP TLS settings and the server certificate',
  EMAIL_UNREACHABLE: 'the mail server could not be reached ({reason})',

  PUSH_SUBSCRIPTION_GONE: 'the browser subscription has expired or was removed (HTTP {status}): that browser must enable push again',
  PUSH_SUBSCRIPTION_INVALID: 'the browser subscription is not usable ({reason}): that browser must enable push again',
  PUSH_VAPID_REJECTED: 'the push service refused our VAPID credentials (HTTP {status}): the subscription was made with other keys, or the VAPID subject is invalid',
  PUSH_REJECTED: 'the push service refused the message (HTTP {status}: {body})',
  PUSH_BUSY: 'the push service is busy or down (HTTP {status}): it will be retried',
  PUSH_UNREACHABLE: 'the push service could not be reached ({reason})',

  SMS_INVALID_NUMBER: 'the phone number {number} is not valid ({reason}): correct it in your account',
  SMS_NUMBER_REFUSED: 'the SMS provider refused the number ({providerCode}: {reason}): correct it in your account',
  SMS_OPTED_OUT: 'the number replied STOP to our messages: SMS resume only after it replies START',
  SMS_AUTH_FAILED: 'the SMS provider refused our account id or token (HTTP {status}): check the SMS settings',
  SMS_REJECTED: 'the SMS provider refused the message (HTTP {status}, {providerCode}: {reason})',
  SMS_BUSY: 'the SMS provider is busy or down (HTTP {status}): it will be retried',
  SMS_UNREACHABLE: 'the SMS provider could not be reached ({reason})',

  WEBHOOK_URL_INVALID: 'the webhook URL is not usable ({reason}): correct it in your account',
  WEBHOOK_TARGET_REFUSED: 'the webhook URL points to {address}, a private or local address: not allowed on this server',
  WEBHOOK_REDIRECTED: 'the webhook answered HTTP {status} with a redirect to {location}: redirects are not followed, so put the final URL in your account',
  WEBHOOK_GONE: 'the webhook answered HTTP 410 Gone: the receiver says it no longer exists',
  WEBHOOK_REJECTED: 'the webhook answered HTTP {status} ({body})',
  WEBHOOK_BUSY: 'the webhook answered HTTP {status}: it will be retried',
  WEBHOOK_TIMEOUT: 'the webhook did not answer within {timeoutMs} ms: it will be retried',
  WEBHOOK_UNREACHABLE: 'the webhook could not be reached ({reason})',
} as const satisfies Record<string, string>;

export type ChannelErrorCode = keyof typeof CHANNEL_ERRORS;

type TemplateParams<T extends string> = T extends `${string}{${infer Name}}${infer Rest}` ? Name | TemplateParams<Rest> : never;
export type ChannelErrorParams<C extends ChannelErrorCode> = Readonly<Record<TemplateParams<(typeof CHANNEL_ERRORS)[C]>, string | number>>;

export interface ChannelError {
  readonly code: ChannelErrorCode;
  readonly message: string;
  /** The provider's own status or error code (SMTP 550, HTTP 410, Twilio 21211), when it gave one. */
  readonly providerCode?: string;
}

/** Longest quoted provider text: a delivery log line, not a copy of an HTML error page. */
const QUOTE_LIMIT = 200;

export function channelError<C extends ChannelErrorCode>(code: C, params: ChannelErrorParams<C>, providerCode?: string | number): ChannelError {
  const values = params as Readonly<Record<string, string | number>>;
  const message = (CHANNEL_ERRORS[code] as string).replace(/\{(\w+)\}/g, (_, name: string) => quote(values[name]));
  return providerCode === undefined ? { code, message } : { code, message, providerCode: String(providerCode) };
}

function quote(value: string | number | undefined): string {
  const text = String(value ?? '').replace(/\s+/g, ' ').trim();
  return text.length > QUOTE_LIMIT ? `${text.slice(0, QUOTE_LIMIT - 1)}…` : text;
}
