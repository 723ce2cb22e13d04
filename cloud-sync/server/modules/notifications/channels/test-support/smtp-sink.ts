/**
 * A real SMTP server for tests and the benchmark (the `smtp-server` package, from
 * nodemailer's author): STARTTLS or implicit TLS with a test certificate, AUTH
 * when asked, and scripted answers (a 550 at RCPT TO for one address, a 421
 * greeting, a 451 at the end of DATA). Each message is kept raw and, unless told
 * not to, parsed by mailparser so a test reads headers, text and HTML as a mail
 * client would.
 */
import type { AddressInfo } from 'node:net';
import { simpleParser, type ParsedMail } from 'mailparser';
import { SMTPServer, type SMTPServerOptions } from 'smtp-server';
import { Inbox } from './inbox.js';
import type { TestCertificate } from './tls-cert.js';

export interface SmtpReply {
  readonly code: number;
  readonly message: string;
}

export interface ReceivedMail {
  readonly from: string;
  readonly to: readonly string[];
  readonly size: number;
  /** The message as received; both undefined with `parse: false` (the benchmark keeps nothing). */
  readonly raw?: Buffer;
  readonly parsed?: ParsedMail;
  /** The session was TLS (implicit or after STARTTLS). */
  readonly secure: boolean;
  /** The user that authenticated, if any. */
  readonly user?: string;
}

export interface SmtpSinkOptions {
  /** Offer STARTTLS with this certificate (or TLS from the first byte with `secure`). */
  readonly tls?: TestCertificate;
  readonly secure?: boolean;
  /** Require AUTH PLAIN/LOGIN with these credentials. */
  readonly auth?: { readonly user: string; readonly pass: string };
  /** Keep and parse each message with mailparser (default true; the benchmark only counts them). */
  readonly parse?: boolean;
}

export interface SmtpSink {
  readonly host: string;
  readonly port: number;
  readonly mails: Inbox<ReceivedMail>;
  /** Answers to RCPT TO by recipient address (lower case). */
  readonly rcptReplies: Map<string, SmtpReply>;
  /** Greeting refusals, one connection each, in order. */
  readonly connectReplies: SmtpReply[];
  /** Answers to the end of DATA, one message each, in order. */
  readonly dataReplies: SmtpReply[];
  readonly failedLogins: Inbox<string>;
  close(): Promise<void>;
}

function smtpError(reply: SmtpReply): Error {
  return Object.assign(new Error(reply.message), { responseCode: reply.code });
}

export async function startSmtpSink(options: SmtpSinkOptions = {}): Promise<SmtpSink> {
  const mails = new Inbox<ReceivedMail>();
  const failedLogins = new Inbox<string>();
  const rcptReplies = new Map<string, SmtpReply>();
  const connectReplies: SmtpReply[] = [];
  const dataReplies: SmtpReply[] = [];
  const parse = options.parse ?? true;
  let queued = 0;

  const serverOptions: SMTPServerOptions = {
    logger: false,
    banner: 'EasyGas test sink',
    size: 10 * 1024 * 1024,
    secure: options.secure === true,
    ...(options.tls === undefined ? { hideSTARTTLS: true } : { key: options.tls.key, cert: options.tls.cert }),
    authOptional: options.auth === undefined,
    disabledCommands: [...(options.auth === undefined ? ['AUTH'] : []), ...(options.tls === undefined ? ['STARTTLS'] : [])],
    onConnect(_session, callback) {
      const reply = connectReplies.shift();
      callback(reply === undefined ? null : smtpError(reply));
    },
    onAuth(auth, _session, callback) {
      if (options.auth !== undefined && auth.username === options.auth.user && auth.password === options.auth.pass) {
        return callback(null, { user: auth.username });
      }
      failedLogins.add(auth.username ?? '');
      callback(smtpError({ code: 535, message: '5.7.8 Authentication credentials invalid' }));
    },
    onRcptTo(address, _session, callback) {
      const reply = rcptReplies.get(address.address.toLowerCase());
      callback(reply === undefined ? null : smtpError(reply));
    },
    onData(stream, session, callback) {
      const chunks: Buffer[] = [];
      stream.on('data', (chunk: Buffer) => chunks.push(chunk));
      stream.on('end', () => {
        const reply = dataReplies.shift();
        if (reply !== undefined) return callback(smtpError(reply));
        const raw = Buffer.concat(chunks);
        const envelope = session.envelope;
        const base = {
          from: envelope.mailFrom === false ? '' : envelope.mailFrom.address,
          to: envelope.rcptTo.map((r) => r.address),
          size: raw.length,
          secure: session.secure,
          ...(typeof session.user === 'string' ? { user: session.user } : {}),
        };
        const id = `Q${++queued}`;
        if (!parse) {
          mails.add(base);
          return callback(null, `2.0.0 Ok: queued as ${id}`);
        }
        simpleParser(raw).then(
          (parsed) => {
            mails.add({ ...base, raw, parsed });
            callback(null, `2.0.0 Ok: queued as ${id}`);
          },
          (error: Error) => callback(error),
        );
      });
    },
  };
  const server = new SMTPServer(serverOptions);
  await new Promise<void>((resolve, reject) => {
    server.server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve());
  });
  const { port } = server.server.address() as AddressInfo;
  return {
    host: '127.0.0.1',
    port,
    mails,
    rcptReplies,
    connectReplies,
    dataReplies,
    failedLogins,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
