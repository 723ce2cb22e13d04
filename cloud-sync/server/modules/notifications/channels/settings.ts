/**
 * The channels' settings, validated as a whole: every problem is reported at once,
 * with the key, where it came from (an environment variable or the config file)
 * and what to do. Secrets are held as `Secret`, so no log or error can print them.
 * A section left out entirely means that channel is not configured; the webhook
 * channel needs no settings of its own and is always there.
 */
import { createECDH } from 'node:crypto';
import addressparser from 'nodemailer/lib/addressparser';
import { isSupportedCountry, type CountryCode } from 'libphonenumber-js/max';
import { Secret } from './secret.js';
import type { RawSettings, RawValue } from './settings-sources.js';

export interface SmtpSettings {
  readonly host: string;
  readonly port: number;
  /** TLS from the first byte (port 465); otherwise STARTTLS when the server offers it. */
  readonly secure: boolean;
  /** Refuse to send unless STARTTLS succeeds (default: on, except for a relay on this machine). */
  readonly requireTls: boolean;
  readonly user?: string;
  readonly pass?: Secret;
  readonly fromName: string;
  readonly fromAddress: string;
  /** Extra certificate authorities (PEM) for a relay with a private CA, read from `smtp.caFile`. */
  readonly ca?: string;
}

export interface PushSettings {
  readonly vapidPublicKey: string;
  readonly vapidPrivateKey: Secret;
  /** mailto: or https: contact for the push services (the JWT's `sub`). */
  readonly subject: string;
  /** How long a push service keeps an undelivered message (seconds). */
  readonly ttlSeconds: number;
  /** Allow subscription endpoints on private or loopback addresses (tests, an on-premises push service). */
  readonly allowPrivate: boolean;
}

export interface SmsSettings {
  readonly accountSid: string;
  readonly authToken: Secret;
  /** A sending number (E.164), a messaging service (MG…), or an alphanumeric sender id. */
  readonly from: string;
  readonly baseUrl: string;
  /** Numbers written without a country code are read in this country. */
  readonly defaultCountry?: CountryCode;
}

export interface WebhookSettings {
  /** Allow webhook URLs on private or loopback addresses (Home Assistant on the LAN); off by default. */
  readonly allowPrivate: boolean;
  readonly timeoutMs: number;
}

/** The notification policy's limits (README, "Notification policy"); every one has a default. */
export interface PolicySettings {
  /** An unacknowledged critical alarm is repeated this often (EASYGAS_ESCALATION_MINUTES, default 5 min)… */
  readonly escalationIntervalMs: number;
  /** …this many times, then its emergency contacts are told (EASYGAS_ESCALATION_REPEATS, default 3). */
  readonly escalationRepeats: number;
  /** SMS per user per rolling hour; beyond it, one digest (EASYGAS_SMS_PER_HOUR, default 10). */
  readonly smsPerHour: number;
  /** A delivery not through after this long fails (EASYGAS_DELIVERY_GIVE_UP_MINUTES, default 60 min). */
  readonly deliveryGiveUpMs: number;
  /** An event reaching the cloud later than this is news, not an alert (EASYGAS_LATE_EVENT_HOURS, default 24 h). */
  readonly lateEventAfterMs: number;
}

export interface ChannelSettings {
  readonly smtp?: SmtpSettings;
  readonly push?: PushSettings;
  readonly sms?: SmsSettings;
  readonly webhook: WebhookSettings;
  readonly policy: PolicySettings;
}

export interface SettingsIssue {
  /** The key, e.g. "smtp.port". */
  readonly key: string;
  /** Where its value came from: "EASYGAS_SMTP_PORT", "notify.yaml", or "" when it is missing. */
  readonly source: string;
  readonly message: string;
}

export class ChannelSettingsError extends Error {
  override readonly name = 'ChannelSettingsError';
  constructor(readonly issues: readonly SettingsIssue[]) {
    super(`invalid notification channel settings:\n${issues.map((i) => `  ${formatIssue(i)}`).join('\n')}`);
  }
}

export function formatIssue(issue: SettingsIssue): string {
  return `${issue.key}${issue.source === '' ? '' : ` (${issue.source})`}: ${issue.message}`;
}

export const TWILIO_BASE_URL = 'https://api.twilio.com';
const DAY_S = 86_400;

/** Reads typed fields out of the raw values and collects every problem. */
class FieldReader {
  readonly issues: SettingsIssue[] = [];
  constructor(private readonly raw: RawSettings) {}

  has(section: string): boolean {
    return [...this.raw.keys()].some((k) => k.startsWith(`${section}.`));
  }

  private entry(key: string): RawValue | undefined {
    return this.raw.get(key);
  }

  problem(key: string, message: string): void {
    this.issues.push({ key, source: this.entry(key)?.source ?? '', message });
  }

  string(key: string): string | undefined {
    const e = this.entry(key);
    if (e === undefined) return undefined;
    if (typeof e.value !== 'string' && typeof e.value !== 'number') return void this.problem(key, 'must be a string');
    const text = String(e.value).trim();
    return text === '' ? void this.problem(key, 'must not be empty') : text;
  }

  required(key: string, what: string): string | undefined {
    const value = this.string(key);
    if (value === undefined && this.entry(key) === undefined) this.problem(key, `is required: ${what}`);
    return value;
  }

  int(key: string, min: number, max: number): number | undefined {
    const e = this.entry(key);
    if (e === undefined) return undefined;
    const n = typeof e.value === 'string' && /^\s*\d+\s*$/.test(e.value) ? Number(e.value) : e.value;
    if (typeof n !== 'number' || !Number.isInteger(n) || n < min || n > max) {
      return void this.problem(key, `must be a whole number from ${min} to ${max}`);
    }
    return n;
  }

  bool(key: string): boolean | undefined {
    const e = this.entry(key);
    if (e === undefined) return undefined;
    if (typeof e.value === 'boolean') return e.value;
    const text = typeof e.value === 'string' ? e.value.trim().toLowerCase() : '';
    if (['true', '1', 'yes', 'on'].includes(text)) return true;
    if (['false', '0', 'no', 'off'].includes(text)) return false;
    return void this.problem(key, 'must be true or false');
  }

  secret(key: string, what: string, required: boolean): Secret | undefined {
    const e = this.entry(key);
    if (e === undefined) return required ? void this.problem(key, `is required: ${what}`) : undefined;
    // Never echo the value: not even its type's reason may quote it.
    if (typeof e.value !== 'string' || e.value.trim() === '') return void this.problem(key, 'must be a non-empty string');
    return new Secret(e.value.trim());
  }

  file(key: string): string | undefined {
    const e = this.entry(key);
    if (e?.fileContent === undefined) return this.string(key) === undefined ? undefined : void this.problem(key, 'cannot be read');
    if ('error' in e.fileContent) return void this.problem(key, `cannot be read: ${e.fileContent.error}`);
    return e.fileContent.text;
  }
}

/** Validates raw values (from `readRawSettings`); `earlier` are problems the reading already found. */
export function validateChannelSettings(raw: RawSettings, earlier: readonly SettingsIssue[] = []): ChannelSettings {
  const r = new FieldReader(raw);
  r.issues.push(...earlier);
  const smtp = r.has('smtp') ? readSmtp(r) : undefined;
  const push = r.has('push') ? readPush(r) : undefined;
  const sms = r.has('sms') ? readSms(r) : undefined;
  const webhook: WebhookSettings = {
    allowPrivate: r.bool('webhook.allowPrivate') ?? false,
    timeoutMs: r.int('webhook.timeoutMs', 1_000, 60_000) ?? 10_000,
  };
  const policy = readPolicy(r);
  if (r.issues.length > 0) throw new ChannelSettingsError(r.issues);
  return { webhook, policy, ...(smtp === undefined ? {} : { smtp }), ...(push === undefined ? {} : { push }), ...(sms === undefined ? {} : { sms }) };
}

const MINUTE_MS = 60_000;

function readPolicy(r: FieldReader): PolicySettings {
  return {
    escalationIntervalMs: (r.int('policy.escalationMinutes', 1, 1_440) ?? 5) * MINUTE_MS,
    escalationRepeats: r.int('policy.escalationRepeats', 0, 20) ?? 3,
    smsPerHour: r.int('policy.smsPerHour', 1, 1_000) ?? 10,
    deliveryGiveUpMs: (r.int('policy.deliveryGiveUpMinutes', 1, 10_080) ?? 60) * MINUTE_MS,
    lateEventAfterMs: (r.int('policy.lateEventHours', 1, 720) ?? 24) * 60 * MINUTE_MS,
  };
}

function isLoopbackHost(host: string): boolean {
  return host === 'localhost' || host === '::1' || host === '[::1]' || /^127\.\d+\.\d+\.\d+$/.test(host);
}

interface SmtpEndpoint {
  host?: string;
  port?: number;
  secure?: boolean;
  user?: string;
  pass?: Secret;
}

function smtpFromUrl(r: FieldReader): SmtpEndpoint {
  const text = r.string('smtp.url');
  if (text === undefined) return {};
  const url = URL.canParse(text) ? new URL(text) : undefined;
  if (url === undefined || (url.protocol !== 'smtp:' && url.protocol !== 'smtps:') || url.hostname === '') {
    // The URL may hold a password: say what is wrong without quoting it.
    r.problem('smtp.url', 'must be a URL like smtp://user:password@host:587 or smtps://host:465');
    return {};
  }
  const endpoint: SmtpEndpoint = { host: url.hostname, secure: url.protocol === 'smtps:' };
  if (url.port !== '') endpoint.port = Number(url.port);
  if (url.username !== '') endpoint.user = decodeURIComponent(url.username);
  if (url.password !== '') endpoint.pass = new Secret(decodeURIComponent(url.password));
  return endpoint;
}

function readSmtp(r: FieldReader): SmtpSettings | undefined {
  const fromUrl = smtpFromUrl(r);
  if (r.string('smtp.host') !== undefined && fromUrl.host !== undefined) r.problem('smtp.host', 'set smtp.url or smtp.host, not both');
  const host = fromUrl.host ?? r.string('smtp.host');
  if (host === undefined && !r.issues.some((i) => i.key === 'smtp.url')) r.problem('smtp.host', 'is required: the mail server to send through (or set smtp.url)');
  const secure = r.bool('smtp.secure') ?? fromUrl.secure ?? false;
  const port = r.int('smtp.port', 1, 65_535) ?? fromUrl.port ?? (secure ? 465 : 587);
  const explicitRequireTls = r.bool('smtp.requireTls');
  if (secure && explicitRequireTls === true) r.problem('smtp.requireTls', 'is for STARTTLS; with smtp.secure the connection is TLS from the start: set only one');
  const requireTls = !secure && (explicitRequireTls ?? (host === undefined || !isLoopbackHost(host)));
  const user = r.string('smtp.user') ?? fromUrl.user;
  const pass = r.secret('smtp.pass', '', false) ?? fromUrl.pass;
  if (user !== undefined && pass === undefined) r.problem('smtp.pass', 'is required when smtp.user is set');
  if (pass !== undefined && user === undefined) r.problem('smtp.user', 'is required when smtp.pass is set');
  const from = readFrom(r);
  const ca = r.file('smtp.caFile');
  if (host === undefined || from === undefined) return undefined;
  return {
    host,
    port,
    secure,
    requireTls,
    fromName: from.name,
    fromAddress: from.address,
    ...(user === undefined ? {} : { user }),
    ...(pass === undefined ? {} : { pass }),
    ...(ca === undefined ? {} : { ca }),
  };
}

function readFrom(r: FieldReader): { name: string; address: string } | undefined {
  const from = r.required('smtp.from', 'the sender, e.g. "EasyGas <alerts@example.com>"');
  if (from === undefined) return undefined;
  const parsed = addressparser(from, { flatten: true });
  const first = parsed[0];
  if (parsed.length !== 1 || first === undefined || !/^[^@\s]+@[^@\s]+\.[^@\s]+$/.test(first.address)) {
    return void r.problem('smtp.from', 'must be one address, e.g. "EasyGas <alerts@example.com>"');
  }
  return { name: first.name === '' ? 'EasyGas' : first.name, address: first.address };
}

function base64url(r: FieldReader, key: string, text: string | undefined, bytes: number): Buffer | undefined {
  if (text === undefined) return undefined;
  const decoded = /^[A-Za-z0-9_-]+$/.test(text) ? Buffer.from(text, 'base64url') : undefined;
  if (decoded?.length !== bytes) return void r.problem(key, `must be ${bytes} bytes in URL-safe base64: make a pair with generateVapidKeys()`);
  return decoded;
}

function readPush(r: FieldReader): PushSettings | undefined {
  const publicText = r.required('push.vapidPublicKey', 'make a key pair with generateVapidKeys()');
  const privateKey = r.secret('push.vapidPrivateKey', 'make a key pair with generateVapidKeys()', true);
  const subject = r.required('push.subject', 'a contact for the push services, mailto:you@example.com or an https: URL');
  const ttlSeconds = r.int('push.ttlSeconds', 0, 28 * DAY_S) ?? DAY_S;
  const allowPrivate = r.bool('push.allowPrivate') ?? false;
  const publicKey = base64url(r, 'push.vapidPublicKey', publicText, 65);
  const privateBytes = base64url(r, 'push.vapidPrivateKey', privateKey?.reveal(), 32);
  if (publicKey !== undefined && privateBytes !== undefined && !matchesPrivateKey(publicKey, privateBytes)) {
    r.problem('push.vapidPublicKey', 'does not belong to push.vapidPrivateKey: set both from the same generateVapidKeys() pair');
  }
  if (subject !== undefined && !/^mailto:[^@\s]+@[^@\s]+$|^https:\/\/[^\s/]+/.test(subject)) {
    r.problem('push.subject', 'must be mailto:you@example.com or an https: URL');
  }
  if (publicText === undefined || privateKey === undefined || subject === undefined) return undefined;
  return { vapidPublicKey: publicText, vapidPrivateKey: privateKey, subject, ttlSeconds, allowPrivate };
}

function matchesPrivateKey(publicKey: Buffer, privateKey: Buffer): boolean {
  try {
    const ecdh = createECDH('prime256v1');
    ecdh.setPrivateKey(privateKey);
    return ecdh.getPublicKey().equals(publicKey);
  } catch {
    return false;
  }
}

function readSms(r: FieldReader): SmsSettings | undefined {
  const accountSid = r.required('sms.accountSid', 'the provider account id (AC…)');
  const authToken = r.secret('sms.authToken', 'the provider auth token', true);
  const from = r.required('sms.from', 'the sending number in E.164 (+15551234567), a messaging service (MG…) or a sender name');
  const baseUrl = r.string('sms.baseUrl') ?? TWILIO_BASE_URL;
  const country = r.string('sms.defaultCountry')?.toUpperCase();
  if (accountSid !== undefined && !/^AC[0-9a-fA-F]{32}$/.test(accountSid)) r.problem('sms.accountSid', 'must be AC followed by 32 hex digits');
  if (from !== undefined && !/^\+[1-9]\d{6,14}$|^MG[0-9a-fA-F]{32}$|^(?=.*[A-Za-z])[A-Za-z0-9 ]{1,11}$/.test(from)) {
    r.problem('sms.from', 'must be a number in E.164 (+15551234567), a messaging service id (MG…) or a sender name of up to 11 letters and digits');
  }
  checkBaseUrl(r, baseUrl);
  if (country !== undefined && !isSupportedCountry(country)) r.problem('sms.defaultCountry', 'must be a two-letter country code, e.g. GB or US');
  if (accountSid === undefined || authToken === undefined || from === undefined) return undefined;
  return {
    accountSid,
    authToken,
    from,
    baseUrl: baseUrl.replace(/\/+$/, ''),
    ...(country !== undefined && isSupportedCountry(country) ? { defaultCountry: country } : {}),
  };
}

function checkBaseUrl(r: FieldReader, baseUrl: string): void {
  if (!URL.canParse(baseUrl)) return r.problem('sms.baseUrl', 'must be a URL, e.g. https://api.twilio.com');
  const url = new URL(baseUrl);
  // The auth token travels in every request: only over TLS, unless the provider runs on this machine.
  if (url.protocol !== 'https:' && !(url.protocol === 'http:' && isLoopbackHost(url.hostname))) {
    r.problem('sms.baseUrl', 'must be an https: URL (http: only for a server on this machine)');
  }
}

/** One line per channel for the startup log: hosts and senders, never a secret. */
export function describeChannelSettings(settings: ChannelSettings): Record<string, string> {
  const s = settings;
  return {
    email: s.smtp === undefined
      ? 'off (no smtp settings)'
      : `${s.smtp.secure ? 'smtps' : 'smtp'}://${s.smtp.host}:${s.smtp.port}${s.smtp.requireTls ? ' (STARTTLS required)' : ''}${s.smtp.user === undefined ? '' : ` as ${s.smtp.user}`}, from ${s.smtp.fromAddress}`,
    push: s.push === undefined ? 'off (no VAPID keys)' : `VAPID ${s.push.vapidPublicKey.slice(0, 12)}…, subject ${s.push.subject}, TTL ${s.push.ttlSeconds} s`,
    sms: s.sms === undefined ? 'off (no sms settings)' : `${s.sms.baseUrl}, account ${s.sms.accountSid}, from ${s.sms.from}`,
    webhook: `on, ${s.webhook.allowPrivate ? 'private addresses allowed' : 'public addresses only'}, timeout ${s.webhook.timeoutMs} ms`,
    policy:
      `escalation every ${s.policy.escalationIntervalMs / MINUTE_MS} min × ${s.policy.escalationRepeats}, then contacts; ` +
      `${s.policy.smsPerHour} SMS per user per hour; give up after ${s.policy.deliveryGiveUpMs / MINUTE_MS} min; late after ${s.policy.lateEventAfterMs / 3_600_000} h`,
  };
}
