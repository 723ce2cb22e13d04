/**
 * Account emails (an address's verification link, a password reset) go through
 * the outbox like notifications: written with the token in one commit, sent by one
 * process, retried with the back-off. They go to the address given, verified or
 * not: that is what they prove.
 */
import type { FastifyBaseLogger } from 'fastify';
import type { HandlerResult, OutboxHandler } from '../../../events/outbox-worker.js';
import type { Channels } from '../channels/index.js';

/** The outbox kind of an account email. */
export const ACCOUNT_EMAIL = 'account.email';

export interface AccountEmail {
  readonly to: string;
  /** Unique per email: its Message-ID. */
  readonly id: string;
  readonly title: string;
  readonly body: string;
  /** The one link the email is about (verify, reset). */
  readonly link: string;
  readonly at: number;
}

export function accountEmailSender(channels: Channels, logger: FastifyBaseLogger): OutboxHandler {
  return async (payload): Promise<HandlerResult> => {
    const email = payload as AccountEmail;
    if (channels.email === undefined) {
      logger.warn({ email: email.id, title: email.title }, 'account email not sent: no SMTP settings (EASYGAS_SMTP_HOST)');
      return { status: 'done', outcome: 'failed', error: 'the email channel is not configured' };
    }
    const outcome = await channels.email.send(
      {
        id: email.id,
        topicKey: `account|${email.id}`,
        severity: 'info',
        kind: 'account',
        title: email.title,
        body: `${email.body}\n\n${email.link}`,
        occurredAt: email.at,
        links: { dashboard: email.link, unsubscribe: email.link },
      },
      { email: email.to },
    );
    switch (outcome.status) {
      case 'delivered':
        return { status: 'done' };
      case 'retry':
        return { status: 'retry', error: outcome.error.message, ...(outcome.retryAfterMs === undefined ? {} : { retryAfterMs: outcome.retryAfterMs }) };
      default:
        return { status: 'done', outcome: 'failed', error: outcome.error.message };
    }
  };
}
