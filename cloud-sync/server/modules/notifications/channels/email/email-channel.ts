/**
 * Email over SMTP with nodemailer: a pooled transport (implicit TLS or STARTTLS,
 * optional AUTH), the message rendered as text and HTML, one-click unsubscribe
 * (List-Unsubscribe + List-Unsubscribe-Post, RFC 8058), a Message-ID of our own
 * (the delivery's id, so the log and the mailbox name the same message) and a
 * References header per alert, so every state of one alarm threads together.
 */
import { createHash } from 'node:crypto';
import { createTransport } from 'nodemailer';
import type { SendMailOptions } from 'nodemailer';
import type { SMTPPoolOptions } from 'nodemailer/lib/smtp-pool';
import { closedOutcome, delivered, invalidMessageOutcome, unexpectedOutcome, type Channel, type SendOutcome } from '../channel.js';
import { isWebLink, whenFormatter, type NotificationMessage } from '../message.js';
import type { SmtpSettings } from '../settings.js';
import { renderEmail, type RenderedEmail } from './email-templates.js';
import { smtpFailureOutcome } from './smtp-outcome.js';

export interface EmailAddress {
  readonly email: string;
  readonly name?: string;
}

export interface EmailChannelOptions {
  /** Concurrent SMTP connections (default 3). */
  readonly maxConnections?: number;
}

/** The transport options the channel uses; the benchmark's raw nodemailer baseline uses the same. */
export function smtpTransportOptions(settings: SmtpSettings, options: EmailChannelOptions = {}): SMTPPoolOptions & { pool: true } {
  return {
    pool: true,
    maxConnections: options.maxConnections ?? 3,
    host: settings.host,
    port: settings.port,
    secure: settings.secure,
    requireTLS: settings.requireTls,
    ...(settings.user !== undefined && settings.pass !== undefined ? { auth: { user: settings.user, pass: settings.pass.reveal() } } : {}),
    tls: { minVersion: 'TLSv1.2', ...(settings.ca !== undefined ? { ca: settings.ca } : {}) },
    connectionTimeout: 15_000,
    greetingTimeout: 15_000,
    socketTimeout: 60_000,
    disableFileAccess: true,
    disableUrlAccess: true,
  };
}

/** The nodemailer message for one notification: rendered content, our Message-ID, threading and list headers. */
export function composeMail(settings: SmtpSettings, message: NotificationMessage, email: RenderedEmail, address: EmailAddress): SendMailOptions {
  const domain = settings.fromAddress.slice(settings.fromAddress.lastIndexOf('@') + 1);
  const alert = createHash('sha256').update(message.topicKey).digest('hex').slice(0, 32);
  const unsubscribe = isWebLink(message.links.unsubscribe) ? message.links.unsubscribe : undefined;
  return {
    from: { name: settings.fromName, address: settings.fromAddress },
    to: address.name === undefined ? address.email : { name: address.name, address: address.email },
    subject: email.subject,
    text: email.text,
    html: email.html,
    messageId: `<${idPart(message.id)}@${domain}>`,
    references: `<alert.${alert}@${domain}>`,
    priority: message.severity === 'critical' ? 'high' : 'normal',
    ...(unsubscribe === undefined ? {} : { list: { unsubscribe } }),
    headers: {
      // RFC 3834: an automatic message; auto-responders must not answer it.
      'Auto-Submitted': 'auto-generated',
      'X-Auto-Response-Suppress': 'All',
      'X-EasyGas-Severity': message.severity,
      'X-EasyGas-Alert': alert,
      ...(unsubscribe === undefined ? {} : { 'List-Unsubscribe-Post': 'List-Unsubscribe=One-Click' }),
    },
  };
}

export function createEmailChannel(settings: SmtpSettings, options: EmailChannelOptions = {}): Channel<EmailAddress> {
  const transport = createTransport(smtpTransportOptions(settings, options));
  const formatWhen = whenFormatter();
  let closed = false;

  return {
    kind: 'email',
    async send(message, address): Promise<SendOutcome> {
      if (closed) return closedOutcome('email');
      const invalid = invalidMessageOutcome(message);
      if (invalid !== undefined) return invalid;
      let mail: SendMailOptions;
      try {
        mail = composeMail(settings, message, renderEmail(message, formatWhen), address);
      } catch (error) {
        return unexpectedOutcome(error);
      }
      try {
        const info = await transport.sendMail(mail);
        return delivered(info.messageId, info.response);
      } catch (error) {
        return smtpFailureOutcome(error, address.email);
      }
    },
    close() {
      closed = true;
      transport.close();
      return Promise.resolve();
    },
  };
}

/** A Message-ID's left part: the id itself when it is safe there, else its hash. */
function idPart(id: string): string {
  return /^[A-Za-z0-9._-]{1,64}$/.test(id) ? id : createHash('sha256').update(id).digest('hex').slice(0, 40);
}
