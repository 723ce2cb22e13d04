/**
 * A local email transport for the demo (`npm start`) and development: instead of
 * an SMTP relay, every email is rendered exactly as the SMTP channel would render
 * it and handed to `write` (the demo prints it). An account email (verification,
 * password reset) carries a single-use token in its link: only its subject is
 * shown, so a token never reaches a log.
 */
import { randomUUID } from 'node:crypto';
import { closedOutcome, delivered, invalidMessageOutcome, type Channel, type SendOutcome } from '../channel.js';
import { whenFormatter } from '../message.js';
import type { EmailAddress } from './email-channel.js';
import { renderEmail } from './email-templates.js';

/** One email as the log transport shows it. */
export interface LoggedEmail {
  readonly to: string;
  readonly subject: string;
  /** The plain-text part; undefined for an account email (its link is a secret). */
  readonly text: string | undefined;
}

export function formatLoggedEmail(email: LoggedEmail): string {
  const body = email.text ?? '(an account email: its single-use link is not shown)\n';
  return `──── email to ${email.to} (not sent: local email transport) ────\nSubject: ${email.subject}\n\n${body}────\n`;
}

export function createLogEmailChannel(write: (email: LoggedEmail) => void): Channel<EmailAddress> {
  const formatWhen = whenFormatter();
  let closed = false;
  return {
    kind: 'email',
    send(message, address): Promise<SendOutcome> {
      if (closed) return Promise.resolve(closedOutcome('email'));
      const invalid = invalidMessageOutcome(message);
      if (invalid !== undefined) return Promise.resolve(invalid);
      const rendered = renderEmail(message, formatWhen);
      write({ to: address.email, subject: rendered.subject, text: message.kind === 'account' ? undefined : rendered.text });
      return Promise.resolve(delivered(`log-${randomUUID()}`, 'written to the log'));
    },
    close() {
      closed = true;
      return Promise.resolve();
    },
  };
}
