import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import { after, describe, it } from 'node:test';
import { inspect } from 'node:util';
import { pino } from 'pino';
import { generateVapidKeys } from './push/vapid-keys.js';
import { ChannelSettingsError, describeChannelSettings, formatIssue } from './settings.js';
import { loadChannelSettings } from './settings-sources.js';

const dir = mkdtempSync(join(tmpdir(), 'easygas-notify-settings-'));
after(() => rmSync(dir, { recursive: true, force: true }));

const KEYS = generateVapidKeys();
const FULL_ENV = {
  EASYGAS_SMTP_HOST: 'mail.example.com',
  EASYGAS_SMTP_USER: 'alerts',
  EASYGAS_SMTP_PASS: 'smtp-secret-pw-81',
  EASYGAS_SMTP_FROM: 'EasyGas <alerts@example.com>',
  EASYGAS_VAPID_PUBLIC_KEY: KEYS.publicKey,
  EASYGAS_VAPID_PRIVATE_KEY: KEYS.privateKey,
  EASYGAS_VAPID_SUBJECT: 'mailto:ops@example.com',
  EASYGAS_SMS_ACCOUNT_SID: `AC${'0a'.repeat(16)}`,
  EASYGAS_SMS_AUTH_TOKEN: 'sms-secret-token-42',
  EASYGAS_SMS_FROM: '+15005550006',
};
const SECRETS = ['smtp-secret-pw-81', KEYS.privateKey, 'sms-secret-token-42'];

function issuesOf(fn: () => unknown): string[] {
  try {
    fn();
  } catch (error) {
    assert.ok(error instanceof ChannelSettingsError, String(error));
    return error.issues.map(formatIssue);
  }
  assert.fail('expected a ChannelSettingsError');
}

describe('channel settings', () => {
  it('read every channel from the environment, with safe defaults', () => {
    const s = loadChannelSettings({ env: FULL_ENV });
    assert.equal(s.smtp?.host, 'mail.example.com');
    assert.equal(s.smtp?.port, 587);
    assert.equal(s.smtp?.requireTls, true, 'a remote relay must do STARTTLS');
    assert.equal(s.smtp?.fromAddress, 'alerts@example.com');
    assert.equal(s.smtp?.pass?.reveal(), 'smtp-secret-pw-81');
    assert.equal(s.push?.ttlSeconds, 86_400);
    assert.equal(s.push?.allowPrivate, false);
    assert.equal(s.sms?.baseUrl, 'https://api.twilio.com');
    assert.deepEqual(s.webhook, { allowPrivate: false, timeoutMs: 10_000 });
  });

  it('configure nothing but the webhook when nothing is set', () => {
    const s = loadChannelSettings({ env: {} });
    assert.deepEqual(Object.keys(s), ['webhook', 'policy']);
    assert.match(describeChannelSettings(s).email ?? '', /^off/);
  });

  it('read a YAML file, with the environment winning key by key, and an smtps URL', () => {
    const file = join(dir, 'notify.yaml');
    writeFileSync(file, ['smtp:', '  url: smtps://bot%40example.com:p%3Ass@relay.example.com', '  from: alerts@example.com', 'webhook:', '  allowPrivate: true', '  timeoutMs: 5000', ''].join('\n'));
    const s = loadChannelSettings({ env: { EASYGAS_NOTIFY_CONFIG: file, EASYGAS_WEBHOOK_TIMEOUT_MS: '3000' } });
    assert.deepEqual(
      { host: s.smtp?.host, port: s.smtp?.port, secure: s.smtp?.secure, requireTls: s.smtp?.requireTls, user: s.smtp?.user, pass: s.smtp?.pass?.reveal() },
      { host: 'relay.example.com', port: 465, secure: true, requireTls: false, user: 'bot@example.com', pass: 'p:ss' },
    );
    assert.deepEqual(s.webhook, { allowPrivate: true, timeoutMs: 3000 });
  });

  it('report every problem at once, with its key, its source and what to do', () => {
    const issues = issuesOf(() =>
      loadChannelSettings({
        env: {
          EASYGAS_SMTP_HOST: 'mail.example.com',
          EASYGAS_SMTP_PORT: '99999',
          EASYGAS_SMTP_USER: 'alerts',
          EASYGAS_SMTP_FORM: 'typo@example.com',
          EASYGAS_VAPID_PUBLIC_KEY: generateVapidKeys().publicKey,
          EASYGAS_VAPID_PRIVATE_KEY: KEYS.privateKey,
          EASYGAS_VAPID_SUBJECT: 'ops@example.com',
          EASYGAS_SMS_ACCOUNT_SID: 'AC123',
          EASYGAS_SMS_AUTH_TOKEN: 'sms-secret-token-42',
          EASYGAS_SMS_FROM: '555-1234',
          EASYGAS_SMS_BASE_URL: 'http://sms.example.com',
          EASYGAS_WEBHOOK_ALLOW_PRIVATE: 'maybe',
        },
      }),
    );
    const expected = [
      /^EASYGAS_SMTP_FORM \(environment\): is not a setting: use one of EASYGAS_SMTP_URL, .*EASYGAS_SMTP_FROM/,
      /^smtp\.port \(EASYGAS_SMTP_PORT\): must be a whole number from 1 to 65535$/,
      /^smtp\.pass: is required when smtp\.user is set$/,
      /^smtp\.from: is required: the sender/,
      /^push\.vapidPublicKey \(EASYGAS_VAPID_PUBLIC_KEY\): does not belong to push\.vapidPrivateKey/,
      /^push\.subject \(EASYGAS_VAPID_SUBJECT\): must be mailto:/,
      /^sms\.accountSid \(EASYGAS_SMS_ACCOUNT_SID\): must be AC followed by 32 hex digits$/,
      /^sms\.from \(EASYGAS_SMS_FROM\): must be a number in E\.164/,
      /^sms\.baseUrl \(EASYGAS_SMS_BASE_URL\): must be an https: URL/,
      /^webhook\.allowPrivate \(EASYGAS_WEBHOOK_ALLOW_PRIVATE\): must be true or false$/,
    ];
    for (const pattern of expected) assert.ok(issues.some((i) => pattern.test(i)), `missing ${pattern}\nin:\n${issues.join('\n')}`);
    assert.equal(issues.length, expected.length, issues.join('\n'));
  });

  it('refuse unknown keys in the file and an unreadable CA file', () => {
    const file = join(dir, 'bad.yaml');
    writeFileSync(file, 'smtp:\n  hots: mail.example.com\n  host: mail.example.com\n  from: a@example.com\n  caFile: /nonexistent/ca.pem\nemail: {}\n');
    const issues = issuesOf(() => loadChannelSettings({ configFile: file, env: {} }));
    assert.deepEqual(issues, [
      'smtp.hots (bad.yaml): is not a setting: the smtp keys are url, host, port, secure, requireTls, user, pass, from, caFile',
      'email (bad.yaml): is not a section: use smtp, push, sms, webhook, policy',
      'smtp.caFile (bad.yaml): cannot be read: ENOENT',
    ]);
    assert.match(issuesOf(() => loadChannelSettings({ configFile: join(dir, 'missing.yaml'), env: {} }))[0] ?? '', /cannot be read \(ENOENT\)/);
  });

  it('never print a secret: not through the logger, inspect, JSON, nor in an error', () => {
    const settings = loadChannelSettings({ env: { ...FULL_ENV, EASYGAS_SMTP_URL: undefined } });
    const lines: string[] = [];
    const logger = pino({ level: 'info' }, new Writable({ write: (chunk: Buffer, _e, done) => (lines.push(chunk.toString()), done()) }));
    logger.info({ settings }, 'notification channels');
    logger.info({ channels: describeChannelSettings(settings) }, 'notification channels');
    logger.info(`settings ${String(settings.smtp?.pass)} ${inspect(settings, { depth: 5 })}`);
    const printed = [...lines, JSON.stringify(settings), inspect(settings, { depth: 5 })].join('\n');
    assert.match(printed, /mail\.example\.com/, 'the settings were printed');
    assert.match(printed, /\[secret\]/);
    for (const secret of SECRETS) assert.ok(!printed.includes(secret), `a secret was printed: ${secret.slice(0, 4)}…`);

    const badUrl = issuesOf(() => loadChannelSettings({ env: { EASYGAS_SMTP_URL: 'smtp//alerts:smtp-secret-pw-81@mail', EASYGAS_SMTP_FROM: 'a@example.com' } }));
    const shortKey = issuesOf(() => loadChannelSettings({ env: { ...FULL_ENV, EASYGAS_VAPID_PRIVATE_KEY: 'c2hvcnQtc2VjcmV0LWtleQ' } }));
    for (const message of [...badUrl, ...shortKey]) {
      assert.ok(!message.includes('smtp-secret-pw-81') && !message.includes('c2hvcnQtc2VjcmV0LWtleQ'), message);
    }
  });
});

describe('notification policy settings', () => {
  const MINUTE = 60_000;

  it('default to 5-minute reminders × 3, 10 SMS an hour, giving up after an hour, late after a day', () => {
    assert.deepEqual(loadChannelSettings({ env: {} }).policy, {
      escalationIntervalMs: 5 * MINUTE,
      escalationRepeats: 3,
      smsPerHour: 10,
      deliveryGiveUpMs: 60 * MINUTE,
      lateEventAfterMs: 24 * 60 * MINUTE,
    });
  });

  it('read each limit from its environment variable, and from the file\'s policy section', () => {
    const env = {
      EASYGAS_ESCALATION_MINUTES: '10',
      EASYGAS_ESCALATION_REPEATS: '0',
      EASYGAS_SMS_PER_HOUR: '4',
      EASYGAS_DELIVERY_GIVE_UP_MINUTES: '30',
      EASYGAS_LATE_EVENT_HOURS: '48',
    };
    assert.deepEqual(loadChannelSettings({ env }).policy, {
      escalationIntervalMs: 10 * MINUTE,
      escalationRepeats: 0,
      smsPerHour: 4,
      deliveryGiveUpMs: 30 * MINUTE,
      lateEventAfterMs: 48 * 60 * MINUTE,
    });
    const file = join(dir, 'policy.yaml');
    writeFileSync(file, 'policy:\n  escalationMinutes: 2\n  smsPerHour: 20\n');
    const fromFile = loadChannelSettings({ env: { EASYGAS_NOTIFY_CONFIG: file, EASYGAS_SMS_PER_HOUR: '6' } }).policy;
    assert.deepEqual([fromFile.escalationIntervalMs, fromFile.smsPerHour], [2 * MINUTE, 6], 'the environment wins key by key');
  });

  it('refuse a bad value, naming the variable and the range', () => {
    const issues = issuesOf(() =>
      loadChannelSettings({ env: { EASYGAS_ESCALATION_MINUTES: '0', EASYGAS_ESCALATION_REPEATS: 'three', EASYGAS_SMS_PER_HOUR: '2.5', EASYGAS_LATE_EVENT_HOURS: '9999', EASYGAS_ESCALATION_MINUTS: '5' } }),
    );
    assert.deepEqual(issues, [
      'EASYGAS_ESCALATION_MINUTS (environment): is not a setting: use one of EASYGAS_ESCALATION_MINUTES, EASYGAS_ESCALATION_REPEATS',
      'policy.escalationMinutes (EASYGAS_ESCALATION_MINUTES): must be a whole number from 1 to 1440',
      'policy.escalationRepeats (EASYGAS_ESCALATION_REPEATS): must be a whole number from 0 to 20',
      'policy.smsPerHour (EASYGAS_SMS_PER_HOUR): must be a whole number from 1 to 1000',
      'policy.lateEventHours (EASYGAS_LATE_EVENT_HOURS): must be a whole number from 1 to 720',
    ]);
  });
});
