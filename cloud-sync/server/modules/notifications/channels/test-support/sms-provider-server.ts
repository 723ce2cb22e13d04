/**
 * A local stand-in for Twilio's Messages API that checks each request as Twilio
 * does: POST to /2010-04-01/Accounts/{AccountSid}/Messages.json, HTTP basic auth
 * with that account's sid and token (20003 otherwise), a form-encoded body with
 * To in E.164 (21211), From or MessagingServiceSid (21603), a Body (21602) of at
 * most 1600 characters (21617). Success is 201 with the message resource; errors
 * are Twilio's JSON { code, message, more_info, status }.
 */
import { randomBytes } from 'node:crypto';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Inbox } from './inbox.js';

export interface ReceivedSms {
  readonly to: string;
  readonly from: string;
  readonly body: string;
  readonly sid: string;
}

export interface SmsRejection {
  readonly status: number;
  readonly code: number;
  readonly message: string;
}

export interface ScriptedSmsReply {
  readonly status: number;
  readonly body?: unknown;
  readonly headers?: Readonly<Record<string, string>>;
}

export interface TestSmsProvider {
  readonly baseUrl: string;
  readonly received: Inbox<ReceivedSms>;
  readonly rejected: Inbox<SmsRejection>;
  /** Numbers Twilio would call invalid although they look like E.164 (as its magic test number +15005550001). */
  readonly invalidNumbers: Set<string>;
  /** The next answers, in order, instead of checking and accepting. */
  script(...replies: ScriptedSmsReply[]): void;
  close(): Promise<void>;
}

export async function startTestSmsProvider(account: { accountSid: string; authToken: string }): Promise<TestSmsProvider> {
  const received = new Inbox<ReceivedSms>();
  const rejected = new Inbox<SmsRejection>();
  const invalidNumbers = new Set<string>();
  const scripted: ScriptedSmsReply[] = [];
  const path = `/2010-04-01/Accounts/${account.accountSid}/Messages.json`;
  const expectedAuth = `Basic ${Buffer.from(`${account.accountSid}:${account.authToken}`).toString('base64')}`;

  const error = (res: ServerResponse, status: number, code: number, message: string): void => {
    rejected.add({ status, code, message });
    res
      .writeHead(status, { 'content-type': 'application/json' })
      .end(JSON.stringify({ code, message, more_info: `https://www.twilio.com/docs/errors/${code}`, status }));
  };

  const handle = (req: IncomingMessage, res: ServerResponse, text: string): void => {
    const next = scripted.shift();
    if (next !== undefined) {
      return void res.writeHead(next.status, { 'content-type': 'application/json', ...next.headers }).end(JSON.stringify(next.body ?? {}));
    }
    if (req.method !== 'POST' || req.url !== path) return error(res, 404, 20404, `The requested resource ${req.url ?? ''} was not found`);
    if (req.headers.authorization !== expectedAuth) return error(res, 401, 20003, 'Authenticate');
    if (!(req.headers['content-type'] ?? '').startsWith('application/x-www-form-urlencoded')) {
      return error(res, 400, 21600, 'Content-Type must be application/x-www-form-urlencoded');
    }
    const form = new URLSearchParams(text);
    const to = form.get('To');
    const from = form.get('From') ?? form.get('MessagingServiceSid');
    const body = form.get('Body');
    if (to === null || to === '') return error(res, 400, 21604, "A 'To' phone number is required.");
    if (from === null || from === '') return error(res, 400, 21603, "A 'From' phone number is required.");
    if (body === null || body === '') return error(res, 400, 21602, 'Message body is required.');
    if (body.length > 1600) return error(res, 400, 21617, 'The concatenated message body exceeds the 1600 character limit.');
    if (!/^\+[1-9]\d{6,14}$/.test(to) || invalidNumbers.has(to)) return error(res, 400, 21211, `The 'To' number ${to} is not a valid phone number.`);
    const sid = `SM${randomBytes(16).toString('hex')}`;
    received.add({ to, from, body, sid });
    res.writeHead(201, { 'content-type': 'application/json' }).end(
      JSON.stringify({
        sid,
        account_sid: account.accountSid,
        to,
        from,
        body,
        status: 'queued',
        num_segments: String(Math.ceil(body.length / 153)),
        uri: `${path.replace('.json', '')}/${sid}.json`,
      }),
    );
  };

  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => handle(req, res, Buffer.concat(chunks).toString('utf8')));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    baseUrl: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    received,
    rejected,
    invalidNumbers,
    script: (...replies) => void scripted.push(...replies),
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
