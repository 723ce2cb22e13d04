/**
 * Where channel settings come from: a config file (YAML or JSON, the path in
 * `EASYGAS_NOTIFY_CONFIG` or given) and environment variables, which win key by
 * key, as systemd and container users expect. Unknown keys and unknown
 * `EASYGAS_SMTP_*`-style variables are errors, so a typo never silently turns a
 * channel off.
 */
import { readFileSync } from 'node:fs';
import { basename } from 'node:path';
import { parse as parseYaml } from 'yaml';
import { validateChannelSettings, type ChannelSettings, type SettingsIssue } from './settings.js';

export interface RawValue {
  readonly value: unknown;
  /** The environment variable or the file the value came from. */
  readonly source: string;
  /** For file-path settings (smtp.caFile): the file's text, or why it could not be read. */
  readonly fileContent?: { readonly text: string } | { readonly error: string };
}

export type RawSettings = ReadonlyMap<string, RawValue>;

/** Every key, with the environment variable that sets it. */
export const SETTING_ENV: Readonly<Record<string, string>> = {
  'smtp.url': 'EASYGAS_SMTP_URL',
  'smtp.host': 'EASYGAS_SMTP_HOST',
  'smtp.port': 'EASYGAS_SMTP_PORT',
  'smtp.secure': 'EASYGAS_SMTP_SECURE',
  'smtp.requireTls': 'EASYGAS_SMTP_REQUIRE_TLS',
  'smtp.user': 'EASYGAS_SMTP_USER',
  'smtp.pass': 'EASYGAS_SMTP_PASS',
  'smtp.from': 'EASYGAS_SMTP_FROM',
  'smtp.caFile': 'EASYGAS_SMTP_CA_FILE',
  'push.vapidPublicKey': 'EASYGAS_VAPID_PUBLIC_KEY',
  'push.vapidPrivateKey': 'EASYGAS_VAPID_PRIVATE_KEY',
  'push.subject': 'EASYGAS_VAPID_SUBJECT',
  'push.ttlSeconds': 'EASYGAS_PUSH_TTL_SECONDS',
  'push.allowPrivate': 'EASYGAS_PUSH_ALLOW_PRIVATE',
  'sms.accountSid': 'EASYGAS_SMS_ACCOUNT_SID',
  'sms.authToken': 'EASYGAS_SMS_AUTH_TOKEN',
  'sms.from': 'EASYGAS_SMS_FROM',
  'sms.baseUrl': 'EASYGAS_SMS_BASE_URL',
  'sms.defaultCountry': 'EASYGAS_SMS_DEFAULT_COUNTRY',
  'webhook.allowPrivate': 'EASYGAS_WEBHOOK_ALLOW_PRIVATE',
  'webhook.timeoutMs': 'EASYGAS_WEBHOOK_TIMEOUT_MS',
  'policy.escalationMinutes': 'EASYGAS_ESCALATION_MINUTES',
  'policy.escalationRepeats': 'EASYGAS_ESCALATION_REPEATS',
  'policy.smsPerHour': 'EASYGAS_SMS_PER_HOUR',
  'policy.deliveryGiveUpMinutes': 'EASYGAS_DELIVERY_GIVE_UP_MINUTES',
  'policy.lateEventHours': 'EASYGAS_LATE_EVENT_HOURS',
};

export const CONFIG_FILE_ENV = 'EASYGAS_NOTIFY_CONFIG';
const ENV_PREFIXES = ['EASYGAS_SMTP_', 'EASYGAS_VAPID_', 'EASYGAS_PUSH_', 'EASYGAS_SMS_', 'EASYGAS_WEBHOOK_', 'EASYGAS_ESCALATION_', 'EASYGAS_DELIVERY_', 'EASYGAS_LATE_'];
const SECTIONS = ['smtp', 'push', 'sms', 'webhook', 'policy'];
const FILE_KEYS = new Set(['smtp.caFile']);

export interface LoadOptions {
  readonly env?: NodeJS.ProcessEnv;
  /** A YAML or JSON file; default `$EASYGAS_NOTIFY_CONFIG`, or none. */
  readonly configFile?: string;
}

/** Reads and validates the settings; throws ChannelSettingsError listing every problem. */
export function loadChannelSettings(options: LoadOptions = {}): ChannelSettings {
  const { raw, issues } = readRawSettings(options);
  return validateChannelSettings(raw, issues);
}

export function readRawSettings(options: LoadOptions = {}): { raw: RawSettings; issues: SettingsIssue[] } {
  const env = options.env ?? process.env;
  const issues: SettingsIssue[] = [];
  const raw = new Map<string, RawValue>();
  const file = options.configFile ?? nonEmpty(env[CONFIG_FILE_ENV]);
  if (file !== undefined) readFile(file, raw, issues);
  readEnv(env, raw, issues);
  for (const key of FILE_KEYS) {
    const entry = raw.get(key);
    if (entry !== undefined && typeof entry.value === 'string') raw.set(key, { ...entry, fileContent: readText(entry.value) });
  }
  return { raw, issues };
}

function nonEmpty(value: string | undefined): string | undefined {
  return value === undefined || value.trim() === '' ? undefined : value;
}

function readText(path: string): { text: string } | { error: string } {
  try {
    return { text: readFileSync(path, 'utf8') };
  } catch (error) {
    return { error: (error as NodeJS.ErrnoException).code ?? String(error) };
  }
}

function readFile(path: string, raw: Map<string, RawValue>, issues: SettingsIssue[]): void {
  const source = basename(path);
  const text = readText(path);
  if ('error' in text) return void issues.push({ key: '(file)', source: path, message: `cannot be read (${text.error})` });
  let document: unknown;
  try {
    document = parseYaml(text.text);
  } catch (error) {
    return void issues.push({ key: '(file)', source: path, message: `is not valid YAML or JSON: ${(error as Error).message.split('\n')[0] ?? ''}` });
  }
  if (document === null || document === undefined) return;
  if (!isRecord(document)) return void issues.push({ key: '(file)', source: path, message: 'must be a mapping with smtp, push, sms, webhook and policy sections' });
  for (const [section, body] of Object.entries(document)) {
    if (!SECTIONS.includes(section)) {
      issues.push({ key: section, source, message: `is not a section: use ${SECTIONS.join(', ')}` });
      continue;
    }
    if (!isRecord(body)) {
      issues.push({ key: section, source, message: 'must be a mapping of settings' });
      continue;
    }
    for (const [name, value] of Object.entries(body)) {
      const key = `${section}.${name}`;
      if (SETTING_ENV[key] === undefined) issues.push({ key, source, message: `is not a setting: the ${section} keys are ${keysOf(section)}` });
      else if (value !== null && value !== undefined) raw.set(key, { value, source });
    }
  }
}

function readEnv(env: NodeJS.ProcessEnv, raw: Map<string, RawValue>, issues: SettingsIssue[]): void {
  const byVariable = new Map(Object.entries(SETTING_ENV).map(([key, variable]) => [variable, key]));
  for (const [variable, value] of Object.entries(env)) {
    if (!ENV_PREFIXES.some((p) => variable.startsWith(p))) continue;
    const key = byVariable.get(variable);
    if (key === undefined) {
      issues.push({ key: variable, source: 'environment', message: `is not a setting: use one of ${[...byVariable.keys()].filter((v) => sharesPrefix(v, variable)).join(', ')}` });
    } else if (nonEmpty(value) !== undefined) {
      raw.set(key, { value, source: variable });
    }
  }
}

function sharesPrefix(a: string, b: string): boolean {
  return ENV_PREFIXES.some((p) => a.startsWith(p) && b.startsWith(p));
}

function keysOf(section: string): string {
  return Object.keys(SETTING_ENV)
    .filter((k) => k.startsWith(`${section}.`))
    .map((k) => k.slice(section.length + 1))
    .join(', ');
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

