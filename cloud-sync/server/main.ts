/**
 * The cloud's composition root: `easygas cloud [--port N] [--db FILE|postgres-url]`
 * calls runCloud, which opens the storage, builds the API, listens and prints where;
 * `easygas cloud admin create` calls createAdminAccount.
 */
import type { FastifyBaseLogger, FastifyInstance } from 'fastify';
import { pino } from 'pino';
import { build } from './app.js';
import { DEFAULT_SCRYPT_COST } from './auth/passwords.js';
import { systemClock } from './clock.js';
import { createAdmin, type NewAccount } from './modules/accounts/service.js';
import { createSupplier, type NewSupplierAccount } from './modules/suppliers/service.js';
import {
  ChannelSettingsError,
  createChannels,
  createLogEmailChannel,
  describeChannelSettings,
  formatLoggedEmail,
  loadChannelSettings,
  type Channel,
  type ChannelSettings,
  type Channels,
  type EmailAddress,
  type PolicySettings,
} from './modules/notifications/channels/index.js';
import type { CloudOptions } from './options.js';
import { isPostgresUrl, openRepository } from './storage/open-repository.js';
import type { Repository } from './storage/repository.js';
import { StorageOpenError } from './storage/storage-errors.js';
import { defaultWebRoot } from './web-root.js';

export interface RunCloudOptions {
  /** 0 picks a free port (tests). */
  readonly port: number;
  /** A SQLite file (created with its directory) or a postgres:// URL. */
  readonly db: string;
  /** Default 127.0.0.1; 0.0.0.0 to serve gateways on other machines. */
  readonly host?: string;
  /** pino; JSON lines to stdout at info when omitted. */
  readonly logger?: FastifyBaseLogger;
  /** Where the URL line goes; stdout by default. */
  readonly print?: (line: string) => void;
  /**
   * Without an SMTP relay configured, each email is rendered and handed here (the
   * demo prints it); account emails show only their subject. None by default.
   */
  readonly printEmail?: (text: string) => void;
  /** Anything else build() takes (secrets, limits, a notifier). */
  readonly overrides?: Omit<CloudOptions, 'db' | 'logger'>;
}

export interface RunningCloud {
  readonly url: string;
  /** The dashboard's address, when it is built. */
  readonly dashboard: string | undefined;
  readonly app: FastifyInstance;
  close(): Promise<void>;
}

/** Why the cloud did not start, with what to do about it (the CLI prints both). */
export class CloudStartError extends Error {
  override readonly name = 'CloudStartError';
  constructor(
    message: string,
    readonly hint: string,
    options?: { cause?: unknown },
  ) {
    super(message, options);
  }
}

export async function runCloud(options: RunCloudOptions): Promise<RunningCloud> {
  const logger = options.logger ?? pino({ level: 'info', base: { component: 'cloud' }, timestamp: pino.stdTimeFunctions.isoTime });
  const print = options.print ?? ((line: string) => process.stdout.write(`${line}\n`));
  let app: FastifyInstance;
  const webRoot = options.overrides?.webRoot ?? defaultWebRoot();
  const notify = notifySettings(logger);
  const channels = options.overrides?.channels ?? configuredChannels(notify, options.printEmail === undefined ? undefined : createLogEmailChannel((email) => options.printEmail?.(formatLoggedEmail(email))));
  const ownsChannels = options.overrides?.channels === undefined;
  const host = options.host ?? '127.0.0.1';
  // Links in emails: EASYGAS_PUBLIC_URL behind a proxy, else where this process listens.
  const publicUrl = options.overrides?.publicUrl ?? nonEmpty(process.env.EASYGAS_PUBLIC_URL) ?? (options.port === 0 ? undefined : listenUrl(host, options.port));
  try {
    const overrides = withPolicy(notify.policy, options.overrides);
    app = await build({ ...overrides, db: options.db, logger, channels, ...(publicUrl === undefined ? {} : { publicUrl }), ...(webRoot === undefined ? {} : { webRoot }) });
  } catch (error) {
    if (ownsChannels) await channels.close();
    if (error instanceof StorageOpenError) throw new CloudStartError(error.message, error.hint, { cause: error });
    throw error;
  }
  if (ownsChannels) app.addHook('onClose', () => channels.close());
  try {
    await app.listen({ port: options.port, host });
  } catch (error) {
    await app.close();
    const code = (error as { code?: unknown }).code;
    if (code === 'EADDRINUSE') {
      throw new CloudStartError(`port ${options.port} is in use`, 'Choose another with --port N, or stop the program holding it (`ss -ltnp`).', { cause: error });
    }
    if (code === 'EACCES') {
      throw new CloudStartError(`not allowed to listen on port ${options.port}`, 'Ports below 1024 need privileges: use --port 8080 or above.', { cause: error });
    }
    throw error;
  }
  const address = app.server.address();
  const port = typeof address === 'object' && address !== null ? address.port : options.port;
  const url = listenUrl(host, port);
  const storage = isPostgresUrl(options.db) ? 'PostgreSQL' : `SQLite ${options.db}`;
  const dashboard = webRoot === undefined ? '' : ` — dashboard ${url}/`;
  print(`EasyGas cloud API on ${url} (${storage})${dashboard} — API docs ${url}/docs, health ${url}/healthz`);
  if (webRoot === undefined) logger.warn('the dashboard is not built (no dist/web): run npm run build to serve it at /');
  return { url, app, close: () => app.close(), dashboard: webRoot === undefined ? undefined : `${url}/` };
}

/** The address a browser on this machine uses for a listening host and port. */
function listenUrl(host: string, port: number): string {
  const shown = host === '0.0.0.0' || host === '::' ? '127.0.0.1' : host;
  return `http://${shown.includes(':') ? `[${shown}]` : shown}:${port}`;
}

function nonEmpty(value: string | undefined): string | undefined {
  return value === undefined || value.trim() === '' ? undefined : value.trim();
}

/** The channels' and the policy's settings from the environment (or EASYGAS_NOTIFY_CONFIG); secrets are never logged. */
function notifySettings(logger: FastifyBaseLogger): ChannelSettings {
  let settings;
  try {
    settings = loadChannelSettings();
  } catch (error) {
    if (error instanceof ChannelSettingsError) {
      const hint = 'Fix the EASYGAS_SMTP_*, EASYGAS_VAPID_*, EASYGAS_SMS_*, EASYGAS_WEBHOOK_*, EASYGAS_ESCALATION_*, EASYGAS_DELIVERY_* or EASYGAS_LATE_* settings (see the README, "Notification channels" and "Notification policy").';
      throw new CloudStartError(error.message, hint, { cause: error });
    }
    throw error;
  }
  logger.info({ channels: describeChannelSettings(settings) }, 'notification channels');
  return settings;
}

/** The policy's limits as build() takes them; what the caller's overrides set explicitly wins. */
export function withPolicy(policy: PolicySettings, overrides: RunCloudOptions['overrides'] = {}): NonNullable<RunCloudOptions['overrides']> {
  return {
    lateEventAfterMs: policy.lateEventAfterMs,
    ...overrides,
    outbox: {
      escalationIntervalMs: policy.escalationIntervalMs,
      escalationRepeats: policy.escalationRepeats,
      giveUpAfterMs: policy.deliveryGiveUpMs,
      channelLimits: { sms: policy.smsPerHour },
      ...overrides.outbox,
    },
  };
}

/** The notification channels the settings configure. */
function configuredChannels(settings: ChannelSettings, localEmail: Channel<EmailAddress> | undefined): Channels {
  const channels = createChannels(settings, { now: Date.now });
  if (channels.email !== undefined || localEmail === undefined) return channels;
  return { ...channels, email: localEmail, close: async () => void (await Promise.all([channels.close(), localEmail.close()])) };
}

/** The outcome of `easygas cloud admin create`: the new admin, or the email is taken. */
export type AdminCreated = { readonly ok: true; readonly id: string; readonly email: string } | { readonly ok: false; readonly reason: 'email_taken' };

/** Runs an operator's command on the cloud's database (migrated first, as a start would), then closes it. */
async function onDatabase<T>(db: string, fn: (repo: Repository) => Promise<T>): Promise<T> {
  let repo: Repository;
  try {
    repo = await openRepository(db);
  } catch (error) {
    if (error instanceof StorageOpenError) throw new CloudStartError(error.message, error.hint, { cause: error });
    throw error;
  }
  try {
    return await fn(repo);
  } finally {
    await repo.close();
  }
}

const codeOf = (error: unknown): unknown => (error as { code?: unknown } | null)?.code;

/** Creates an admin account in the cloud's database. */
export function createAdminAccount(db: string, account: NewAccount): Promise<AdminCreated> {
  return onDatabase(db, async (repo) => {
    try {
      const admin = await createAdmin(repo, systemClock(), DEFAULT_SCRYPT_COST, account);
      return { ok: true, id: admin.id, email: admin.email };
    } catch (error) {
      if (codeOf(error) === 'EASYGAS_EMAIL_TAKEN') return { ok: false, reason: 'email_taken' };
      throw error;
    }
  });
}

/** The outcome of `easygas cloud supplier create`. */
export type SupplierCreated =
  | { readonly ok: true; readonly userId: string; readonly supplierId: string; readonly email: string }
  | { readonly ok: false; readonly reason: 'email_taken' | 'invalid'; readonly problems?: string };

/** Creates a supplier account with its profile (areas, tiers, lead time) in the cloud's database. */
export function createSupplierAccount(db: string, account: NewSupplierAccount): Promise<SupplierCreated> {
  return onDatabase(db, async (repo) => {
    try {
      const supplier = await createSupplier(repo, systemClock(), DEFAULT_SCRYPT_COST, account);
      return { ok: true, userId: supplier.userId, supplierId: supplier.id, email: account.email };
    } catch (error) {
      if (codeOf(error) === 'EASYGAS_EMAIL_TAKEN') return { ok: false, reason: 'email_taken' };
      if (codeOf(error) === 'EASYGAS_VALIDATION') return { ok: false, reason: 'invalid', problems: (error as Error).message };
      throw error;
    }
  });
}
