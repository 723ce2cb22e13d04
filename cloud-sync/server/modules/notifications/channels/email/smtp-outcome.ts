/**
 * What an SMTP failure means for the delivery (RFC 5321 §4.2.1): a 5yz reply to
 * RCPT TO is a hard bounce (the address is refused: turn it off); any 4yz reply is
 * transient (greylisting, a full queue, a 421 "closing"); 5yz to MAIL FROM or DATA
 * refuses this message, not the address. Failing to connect, to secure the
 * connection or to sign in is ours or the network's to fix, so it is retried.
 */
import { failed, retryLater, describeError, type SendOutcome } from '../channel.js';
import { channelError } from '../channel-errors.js';

/** The fields nodemailer puts on its errors. */
interface SmtpErrorLike {
  readonly code?: string;
  readonly responseCode?: number;
  readonly response?: string;
  readonly command?: string;
  readonly message?: string;
}

const TLS_CODES = new Set(['ETLS', 'EREQUIRETLS']);
const AUTH_CODES = new Set(['EAUTH', 'ENOAUTH']);

export function smtpFailureOutcome(error: unknown, recipient: string): SendOutcome {
  const e = (typeof error === 'object' && error !== null ? error : {}) as SmtpErrorLike;
  const reply = (e.response ?? '').trim();
  const responseCode = e.responseCode;

  if (e.code === 'EENVELOPE' && e.command === 'API' && /recipient/i.test(e.message ?? '')) {
    return failed(channelError('EMAIL_ADDRESS_INVALID', { address: recipient }), true);
  }
  if (AUTH_CODES.has(e.code ?? '')) {
    return retryLater(channelError('EMAIL_AUTH_FAILED', { response: reply || describeError(error) }, responseCode));
  }
  if (e.command === 'STARTTLS') {
    return retryLater(channelError('EMAIL_TLS_FAILED', { reason: `the server refused STARTTLS: ${reply || describeError(error)}` }, responseCode));
  }
  if (responseCode !== undefined && responseCode >= 400 && responseCode < 600) {
    const command = e.command ?? 'the greeting';
    if (responseCode < 500 || responseCode === 503) {
      return retryLater(channelError('EMAIL_DEFERRED', { response: reply }, responseCode));
    }
    if (command === 'RCPT TO') return failed(channelError('EMAIL_HARD_BOUNCE', { response: reply }, responseCode), true);
    return failed(channelError('EMAIL_REJECTED', { command, response: reply }, responseCode));
  }
  if (TLS_CODES.has(e.code ?? '') || /certificate|self[- ]signed|TLS|SSL/i.test(e.message ?? '')) {
    return retryLater(channelError('EMAIL_TLS_FAILED', { reason: describeError(error) }));
  }
  return retryLater(channelError('EMAIL_UNREACHABLE', { reason: describeError(error) }));
}
