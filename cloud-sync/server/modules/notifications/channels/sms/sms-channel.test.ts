import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { SendOutcome } from '../channel.js';
import { Secret } from '../secret.js';
import type { SmsSettings } from '../settings.js';
import { gasAlarm, lowLevelWarning } from '../test-support/messages.js';
import { startTestSmsProvider, type TestSmsProvider } from '../test-support/sms-provider-server.js';
import { createSmsChannel } from './sms-channel.js';
import { MAX_SMS_CHARS } from './sms-text.js';
import { createTwilioProvider } from './twilio-provider.js';

const ACCOUNT = { accountSid: `AC${'3f'.repeat(16)}`, authToken: 'twilio-token-5e1c' };
const NOW = Date.UTC(2026, 0, 15, 12, 0, 0);

function assertStatus<S extends SendOutcome['status']>(outcome: SendOutcome, status: S): asserts outcome is Extract<SendOutcome, { status: S }> {
  assert.equal(outcome.status, status, `expected ${status}, got ${JSON.stringify(outcome)}`);
}

describe('SMS through the Twilio-shaped provider, against a server that checks requests as Twilio does', () => {
  let twilio: TestSmsProvider;
  const settings = (overrides: Partial<SmsSettings> = {}): SmsSettings => ({
    accountSid: ACCOUNT.accountSid,
    authToken: new Secret(ACCOUNT.authToken),
    from: '+15005550006',
    baseUrl: twilio.baseUrl,
    ...overrides,
  });
  const channel = (overrides: Partial<SmsSettings> = {}) =>
    createSmsChannel(createTwilioProvider(settings(overrides), { now: () => NOW, timeoutMs: 5_000 }), { defaultCountry: 'GB' });

  before(async () => {
    twilio = await startTestSmsProvider(ACCOUNT);
  });
  after(() => twilio.close());

  it('sends a short alarm text to the E.164 number and keeps the message sid', async () => {
    const outcome = await channel().send(gasAlarm(), { phone: '07911 123456' });
    assertStatus(outcome, 'delivered');
    const sms = await twilio.received.waitFor('the alarm SMS');
    assert.equal(outcome.providerMessageId, sms.sid);
    assert.match(sms.sid, /^SM[0-9a-f]{32}$/);
    assert.equal(sms.to, '+447911123456');
    assert.equal(sms.from, '+15005550006');
    assert.ok(sms.body.length <= MAX_SMS_CHARS, `${sms.body.length} characters`);
    assert.match(sms.body, /^EasyGas ALARM: Kitchen gas: gas alarm\. Gas at 32 %LEL in the kitchen.* Leave the building now/);
    assert.match(sms.body, /\nAcknowledge: https:\/\/easygas\.example\/a\/ack\?t=tok-ack-1$/);
  });

  it('a warning carries the dashboard link and no alarm words; a long text is cut, never its link', async () => {
    assertStatus(await channel().send(lowLevelWarning({ body: 'x'.repeat(600) }), { phone: '+44 7911 123456' }), 'delivered');
    const sms = await twilio.received.waitFor('the warning SMS', (s) => s.body.startsWith('EasyGas Warning'));
    assert.ok(sms.body.length <= MAX_SMS_CHARS);
    assert.match(sms.body, /\.\.\.\nhttps:\/\/easygas\.example\/alerts\/a-1$/);
    assert.doesNotMatch(sms.body, /ALARM|Acknowledge/);
  });

  it('sends from a messaging service when the sender is one', async () => {
    const service = `MG${'ab'.repeat(16)}`;
    assertStatus(await channel({ from: service }).send(gasAlarm(), { phone: '+447911123457' }), 'delivered');
    assert.equal((await twilio.received.waitFor('the service SMS', (s) => s.to === '+447911123457')).from, service);
  });

  it('an invalid number fails before any request; one the provider calls invalid (21211) turns the number off', async () => {
    const before = twilio.received.items.length + twilio.rejected.items.length;
    const local = await channel().send(gasAlarm(), { phone: '+44 20 7946 0018' });
    assertStatus(local, 'failed');
    assert.equal(local.addressRejected, true);
    assert.equal(local.error.code, 'SMS_INVALID_NUMBER');
    assert.equal(twilio.received.items.length + twilio.rejected.items.length, before, 'no request was made');

    twilio.invalidNumbers.add('+447911123458');
    const remote = await channel().send(gasAlarm(), { phone: '+447911123458' });
    assertStatus(remote, 'failed');
    assert.equal(remote.addressRejected, true);
    assert.equal(remote.error.code, 'SMS_NUMBER_REFUSED');
    assert.equal(remote.error.providerCode, '21211');
  });

  it('a wrong token is refused by the provider (20003) and retried, with the token nowhere in the outcome', async () => {
    const outcome = await channel({ authToken: new Secret('not-the-token') }).send(gasAlarm(), { phone: '+447911123456' });
    assertStatus(outcome, 'retry');
    assert.equal(outcome.error.code, 'SMS_AUTH_FAILED');
    assert.equal(outcome.error.providerCode, '20003');
    assert.equal((await twilio.rejected.waitFor('the refused login', (r) => r.code === 20003)).status, 401);
    assert.doesNotMatch(JSON.stringify(outcome), /not-the-token|twilio-token/);
  });

  it('429 and 5xx are retried after Retry-After; opted-out numbers and other refusals fail', async () => {
    twilio.script(
      { status: 429, body: { code: 20429, message: 'Too Many Requests', status: 429 }, headers: { 'retry-after': '30' } },
      { status: 503, body: { message: 'Service Unavailable' } },
      { status: 400, body: { code: 21610, message: 'Attempt to send to unsubscribed recipient', status: 400 } },
      { status: 400, body: { code: 21408, message: 'Permission to send an SMS has not been enabled for the region', status: 400 } },
    );
    const sms = channel();
    const limited = await sms.send(gasAlarm(), { phone: '+447911123456' });
    assertStatus(limited, 'retry');
    assert.equal(limited.retryAfterMs, 30_000);
    assertStatus(await sms.send(gasAlarm(), { phone: '+447911123456' }), 'retry');
    const stopped = await sms.send(gasAlarm(), { phone: '+447911123456' });
    assertStatus(stopped, 'failed');
    assert.equal(stopped.error.code, 'SMS_OPTED_OUT');
    assert.equal(stopped.addressRejected, true);
    const region = await sms.send(gasAlarm(), { phone: '+447911123456' });
    assertStatus(region, 'failed');
    assert.equal(region.addressRejected, false);
    assert.match(region.error.message, /21408: Permission to send/);
  });

  it('an unreachable provider is retried', async () => {
    const down = await channel({ baseUrl: 'http://127.0.0.1:9' }).send(gasAlarm(), { phone: '+447911123456' });
    assertStatus(down, 'retry');
    assert.equal(down.error.code, 'SMS_UNREACHABLE');
  });
});
