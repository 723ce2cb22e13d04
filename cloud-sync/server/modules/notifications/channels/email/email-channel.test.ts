import assert from 'node:assert/strict';
import { createServer, type AddressInfo } from 'node:net';
import { after, before, describe, it } from 'node:test';
import type { Channel, SendOutcome } from '../channel.js';
import { Secret } from '../secret.js';
import type { SmtpSettings } from '../settings.js';
import { gasAlarm, lowLevelWarning } from '../test-support/messages.js';
import { startSmtpSink, type ReceivedMail, type SmtpSink } from '../test-support/smtp-sink.js';
import { makeTestCertificate, type TestCertificate } from '../test-support/tls-cert.js';
import { createEmailChannel, type EmailAddress } from './email-channel.js';

const OWNER: EmailAddress = { email: 'owner@home.example', name: 'Ana Owner' };
const CREDENTIALS = { user: 'alerts-bot', pass: 'smtp-pass-7f3k' };

function settingsFor(sink: SmtpSink, overrides: Partial<SmtpSettings> = {}): SmtpSettings {
  return {
    host: sink.host,
    port: sink.port,
    secure: false,
    requireTls: false,
    fromName: 'EasyGas Alerts',
    fromAddress: 'alerts@easygas.example',
    ...overrides,
  };
}

function header(mail: ReceivedMail, name: string): string | undefined {
  const line = mail.parsed?.headerLines.find((h) => h.key === name.toLowerCase())?.line;
  return line?.slice(line.indexOf(':') + 1).replace(/\r?\n\s+/g, ' ').trim();
}

function assertStatus<S extends SendOutcome['status']>(outcome: SendOutcome, status: S): asserts outcome is Extract<SendOutcome, { status: S }> {
  assert.equal(outcome.status, status, `expected ${status}, got ${JSON.stringify(outcome)}`);
}

async function closedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

describe('email channel over a real SMTP server', () => {
  let cert: TestCertificate;
  const open: { close(): Promise<void> }[] = [];
  const track = <T extends { close(): Promise<void> }>(thing: T): T => (open.push(thing), thing);

  before(async () => {
    cert = await makeTestCertificate();
  });
  after(async () => {
    await Promise.all(open.map((o) => o.close()));
  });

  it('sends through STARTTLS with AUTH: headers, text, HTML and one-click unsubscribe as a mail client sees them', async () => {
    const sink = track(await startSmtpSink({ tls: cert, auth: CREDENTIALS }));
    const channel = track(
      createEmailChannel(settingsFor(sink, { requireTls: true, user: CREDENTIALS.user, pass: new Secret(CREDENTIALS.pass), ca: cert.ca })),
    );
    const outcome = await channel.send(gasAlarm(), OWNER);
    assertStatus(outcome, 'delivered');
    assert.equal(outcome.providerMessageId, '<d-0001@easygas.example>');
    assert.match(outcome.detail ?? '', /queued as Q1/);

    const mail = await sink.mails.waitFor('the alarm email');
    assert.equal(mail.secure, true, 'the session was upgraded with STARTTLS');
    assert.equal(mail.user, CREDENTIALS.user);
    assert.equal(mail.from, 'alerts@easygas.example');
    assert.deepEqual(mail.to, ['owner@home.example']);
    const parsed = mail.parsed;
    assert.ok(parsed);
    assert.equal(parsed.subject, 'ALARM: Kitchen gas: gas alarm');
    assert.equal(parsed.messageId, '<d-0001@easygas.example>');
    assert.equal(header(mail, 'From'), 'EasyGas Alerts <alerts@easygas.example>');
    assert.equal(header(mail, 'To'), 'Ana Owner <owner@home.example>');
    assert.equal(header(mail, 'List-Unsubscribe'), '<https://easygas.example/u/unsub?t=tok-unsub-1>');
    assert.equal(header(mail, 'List-Unsubscribe-Post'), 'List-Unsubscribe=One-Click');
    assert.equal(header(mail, 'Auto-Submitted'), 'auto-generated');
    assert.equal(header(mail, 'X-EasyGas-Severity'), 'critical');
    assert.equal(header(mail, 'X-Priority'), '1 (Highest)');
    assert.match(header(mail, 'References') ?? '', /^<alert\.[0-9a-f]{32}@easygas\.example>$/);

    const text = parsed.text ?? '';
    assert.match(text, /^ALARM: ACT NOW\n/);
    assert.match(text, /Gas at 32 %LEL in the kitchen/);
    assert.match(text, /What to do now:\n- Leave the building now/);
    assert.match(text, /Acknowledge \(stops the reminders\): https:\/\/easygas\.example\/a\/ack\?t=tok-ack-1/);
    assert.match(text, /When: 15 Jan 2026, 12:00 GMT/);
    assert.match(text, /Stop these emails: https:\/\/easygas\.example\/u\/unsub\?t=tok-unsub-1/);

    const html = typeof parsed.html === 'string' ? parsed.html : '';
    assert.match(html, /<a href="https:\/\/easygas\.example\/a\/ack\?t&#61;tok-ack-1"/);
    assert.match(html, /<li[^>]*>Leave the building now/);
    assert.match(html, /Stop these emails<\/a>/);
    assert.match(html, /background:#b00020/, 'the alarm banner is red');
  });

  it('sends over TLS from the first byte (smtps, port 465 style)', async () => {
    const sink = track(await startSmtpSink({ tls: cert, secure: true }));
    const channel = track(createEmailChannel(settingsFor(sink, { secure: true, ca: cert.ca })));
    assertStatus(await channel.send(lowLevelWarning(), OWNER), 'delivered');
    const mail = await sink.mails.waitFor('the warning email');
    assert.equal(mail.secure, true);
    assert.equal(mail.parsed?.subject, 'Warning: LPG cylinder: low level');
    assert.doesNotMatch(mail.parsed?.text ?? '', /ALARM|Acknowledge/, 'a warning never reads as an alarm');
  });

  it('a 550 at RCPT TO is a hard bounce that turns the address off; the next address still gets its mail', async () => {
    const sink = track(await startSmtpSink());
    sink.rcptReplies.set('gone@home.example', { code: 550, message: '5.1.1 <gone@home.example>: Recipient address rejected: User unknown' });
    const channel = track(createEmailChannel(settingsFor(sink)));

    const bounced = await channel.send(gasAlarm(), { email: 'gone@home.example' });
    assertStatus(bounced, 'failed');
    assert.equal(bounced.addressRejected, true);
    assert.equal(bounced.error.code, 'EMAIL_HARD_BOUNCE');
    assert.equal(bounced.error.providerCode, '550');
    assert.match(bounced.error.message, /User unknown/);

    assertStatus(await channel.send(gasAlarm({ id: 'd-0002' }), OWNER), 'delivered');
    const mail = await sink.mails.waitFor('the mail to the good address');
    assert.deepEqual(mail.to, ['owner@home.example']);
    assert.equal(sink.mails.items.length, 1, 'the bounced message was never accepted');
  });

  it('4xx answers are retried: 451 at RCPT TO (greylisting), 421 at the greeting, 451 after DATA', async () => {
    const sink = track(await startSmtpSink());
    const channel = track(createEmailChannel(settingsFor(sink)));

    sink.rcptReplies.set('owner@home.example', { code: 451, message: '4.7.1 Greylisted, try again in 5 minutes' });
    const greylisted = await channel.send(gasAlarm(), OWNER);
    assertStatus(greylisted, 'retry');
    assert.equal(greylisted.error.code, 'EMAIL_DEFERRED');
    assert.equal(greylisted.error.providerCode, '451');
    sink.rcptReplies.clear();

    const busy = track(await startSmtpSink());
    busy.connectReplies.push({ code: 421, message: '4.3.2 Too many connections, try later' });
    const busyChannel = track(createEmailChannel(settingsFor(busy)));
    const refused = await busyChannel.send(gasAlarm(), OWNER);
    assertStatus(refused, 'retry');
    assert.equal(refused.error.providerCode, '421');

    sink.dataReplies.push({ code: 451, message: '4.3.0 Queue full' });
    const queueFull = await channel.send(gasAlarm(), OWNER);
    assertStatus(queueFull, 'retry');
    assert.equal(queueFull.error.providerCode, '451');

    assertStatus(await channel.send(gasAlarm(), OWNER), 'delivered');
    assertStatus(await busyChannel.send(gasAlarm(), OWNER), 'delivered');
    await sink.mails.waitFor('the mail after the retries');
    await busy.mails.waitFor('the mail after the 421');
  });

  it('a wrong SMTP password is retried with a message that names the setting, never the password', async () => {
    const sink = track(await startSmtpSink({ tls: cert, auth: CREDENTIALS }));
    const channel = track(createEmailChannel(settingsFor(sink, { requireTls: true, user: CREDENTIALS.user, pass: new Secret('wrong-pass-99'), ca: cert.ca })));
    const outcome = await channel.send(gasAlarm(), OWNER);
    assertStatus(outcome, 'retry');
    assert.equal(outcome.error.code, 'EMAIL_AUTH_FAILED');
    assert.match(outcome.error.message, /check the SMTP settings/);
    assert.doesNotMatch(JSON.stringify(outcome), /wrong-pass-99/);
    assert.equal(await sink.failedLogins.waitFor('the failed login'), CREDENTIALS.user);
    assert.equal(sink.mails.items.length, 0);
  });

  it('refuses to send in clear text when STARTTLS is required, and distrusts an unknown certificate', async () => {
    const plain = track(await startSmtpSink());
    const strict = track(createEmailChannel(settingsFor(plain, { requireTls: true })));
    const noTls = await strict.send(gasAlarm(), OWNER);
    assertStatus(noTls, 'retry');
    assert.equal(noTls.error.code, 'EMAIL_TLS_FAILED');

    const tls = track(await startSmtpSink({ tls: cert }));
    const untrusting = track(createEmailChannel(settingsFor(tls, { requireTls: true })));
    const untrusted = await untrusting.send(gasAlarm(), OWNER);
    assertStatus(untrusted, 'retry');
    assert.equal(untrusted.error.code, 'EMAIL_TLS_FAILED');
    assert.equal(plain.mails.items.length + tls.mails.items.length, 0, 'nothing went out unprotected');
  });

  it('an unreachable server, a bad address and a closed channel are outcomes, never exceptions', async () => {
    const port = await closedPort();
    const nowhere: Channel<EmailAddress> = track(
      createEmailChannel({ host: '127.0.0.1', port, secure: false, requireTls: false, fromName: 'EasyGas', fromAddress: 'alerts@easygas.example' }),
    );
    const down = await nowhere.send(gasAlarm(), OWNER);
    assertStatus(down, 'retry');
    assert.equal(down.error.code, 'EMAIL_UNREACHABLE');

    const sink = track(await startSmtpSink());
    const channel = createEmailChannel(settingsFor(sink));
    const bad = await channel.send(gasAlarm(), { email: 'not an address' });
    assertStatus(bad, 'failed');
    assert.equal(bad.addressRejected, true);
    assert.equal(bad.error.code, 'EMAIL_ADDRESS_INVALID');

    const unsafe = await channel.send(gasAlarm({ links: { dashboard: 'javascript:alert(1)', unsubscribe: 'https://easygas.example/u' } }), OWNER);
    assertStatus(unsafe, 'failed');
    assert.equal(unsafe.error.code, 'MESSAGE_INVALID');

    await channel.close();
    const closed = await channel.send(gasAlarm(), OWNER);
    assertStatus(closed, 'retry');
    assert.equal(closed.error.code, 'CHANNEL_CLOSED');
    assert.equal(sink.mails.items.length, 0);
  });
});
