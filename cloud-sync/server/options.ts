/** What `build()` takes, and the defaults a household server runs with. */
import type { PaymentProvider } from './modules/orders/payment.js';
import type { FastifyBaseLogger } from 'fastify';
import type { ScryptCost } from './auth/passwords.js';
import { DEFAULT_SCRYPT_COST } from './auth/passwords.js';
import type { ServerClock } from './clock.js';
import type { OutboxOptions } from './events/background.js';
import type { LiveOptions } from './modules/live/live-hub.js';
import type { Channels } from './modules/notifications/channels/index.js';
import type { Notifier } from './services/notifier.js';
import type { PostgresPools } from './storage/db/pg-connection.js';
import type { Repository } from './storage/repository.js';
import { LATE_AFTER_MS } from './storage/policy-events.js';

export interface RateLimit {
  readonly max: number;
  readonly windowMs: number;
}

export interface CloudOptions {
  /** A SQLite file path (":memory:" for tests), a postgres:// URL, or an open repository (not closed by the server). */
  readonly db: string | Repository;
  /** With a postgres:// URL: the schema to use (it must exist). */
  readonly pgSchema?: string;
  /** With a postgres:// URL: pool sizes (default 10 for writes and short reads, 3 for long reads) and the long-read timeout (default 15 s). */
  readonly pools?: PostgresPools;
  /** Raw readings older than this are deleted, rollups kept (default 365 days); null keeps them for ever. */
  readonly rawRetentionMs?: number | null;
  /** How often retention runs (default 1 h). */
  readonly retentionIntervalMs?: number;
  /** Run retention on a timer (default true); tests call `app.cloud.retention.run()` instead. */
  readonly retention?: boolean;
  readonly clock?: ServerClock;
  /** A pino logger; silent when omitted. */
  readonly logger?: FastifyBaseLogger;
  /** HS256 key for access tokens. Default: generated once and kept in the database, shared by every server on it. */
  readonly jwtSecret?: string;
  readonly accessTokenTtlMs?: number;
  readonly refreshTokenTtlMs?: number;
  readonly claimCodeTtlMs?: number;
  /** A gateway unheard for this long is offline (default 3 × 60 s). */
  readonly offlineAfterMs?: number;
  readonly sweepIntervalMs?: number;
  /** Run the offline sweeper on a timer (default true); tests call `app.cloud.sweeper.sweep()` instead. */
  readonly sweeper?: boolean;
  /** Run the auto-order job on a timer (default true, every 15 minutes); tests call `app.cloud.jobs.tick('auto-order')`. */
  readonly autoOrder?: boolean;
  readonly autoOrderIntervalMs?: number;
  /** Run the anomaly job on a timer (default true, hourly): each tank's anomalies notified once. */
  readonly anomalies?: boolean;
  readonly anomalyIntervalMs?: number;
  readonly bodyLimitBytes?: number;
  /** Decompressed size limit of one ingest batch (default 5 MiB). */
  readonly ingestBodyLimitBytes?: number;
  /** Of the supplier's status change, which may carry a 200 KB proof-of-delivery image in base64 (default 320 KiB). */
  readonly proofBodyLimitBytes?: number;
  /** Per gateway, on POST /api/sensors/data. */
  readonly ingestRateLimit?: RateLimit;
  /** Per client address, on sign-in, registration and device registration. */
  readonly authRateLimit?: RateLimit;
  readonly passwordCost?: ScryptCost;
  readonly notifier?: Notifier;
  /** The notification channels (createChannels); not closed by the server. Default: webhooks only. */
  readonly channels?: Channels;
  /** Payment providers whose signed webhooks POST /api/payments/webhook/:provider takes (default none). */
  readonly paymentProviders?: readonly PaymentProvider[];
  /** The dashboard's public address for links in messages (default http://localhost:8080). */
  readonly publicUrl?: string;
  /** An event that reaches the cloud later than this is news, not an alert (default 24 h; EASYGAS_LATE_EVENT_HOURS). */
  readonly lateEventAfterMs?: number;
  /** The outbox worker's lease, poll and retries, and the escalation and per-channel limits. */
  readonly outbox?: OutboxOptions;
  /** The live WebSocket's limits (GET /api/ws). */
  readonly live?: LiveOptions;
  /** Behind a load balancer: trust X-Forwarded-For for client addresses. */
  readonly trustProxy?: boolean;
  /** A built dashboard (dist/web) to serve at `/`; none when omitted. */
  readonly webRoot?: string;
}

export interface Settings {
  readonly accessTokenTtlMs: number;
  readonly refreshTokenTtlMs: number;
  readonly claimCodeTtlMs: number;
  readonly offlineAfterMs: number;
  readonly sweepIntervalMs: number;
  readonly runSweeper: boolean;
  readonly rawRetentionMs: number | null;
  readonly retentionIntervalMs: number;
  readonly runRetention: boolean;
  readonly runAutoOrder: boolean;
  readonly autoOrderIntervalMs: number;
  readonly runAnomalies: boolean;
  readonly anomalyIntervalMs: number;
  readonly bodyLimitBytes: number;
  readonly ingestBodyLimitBytes: number;
  readonly proofBodyLimitBytes: number;
  readonly ingestRateLimit: RateLimit;
  readonly authRateLimit: RateLimit;
  readonly passwordCost: ScryptCost;
  readonly lateEventAfterMs: number;
}

const MINUTE = 60_000;

export function resolveSettings(options: CloudOptions): Settings {
  return {
    accessTokenTtlMs: options.accessTokenTtlMs ?? 15 * MINUTE,
    refreshTokenTtlMs: options.refreshTokenTtlMs ?? 30 * 24 * 60 * MINUTE,
    claimCodeTtlMs: options.claimCodeTtlMs ?? 15 * MINUTE,
    offlineAfterMs: options.offlineAfterMs ?? 3 * MINUTE,
    sweepIntervalMs: options.sweepIntervalMs ?? 30_000,
    runSweeper: options.sweeper ?? true,
    rawRetentionMs: options.rawRetentionMs === undefined ? 365 * 24 * 60 * MINUTE : options.rawRetentionMs,
    retentionIntervalMs: options.retentionIntervalMs ?? 60 * MINUTE,
    runRetention: options.retention ?? true,
    runAutoOrder: options.autoOrder ?? true,
    autoOrderIntervalMs: options.autoOrderIntervalMs ?? 15 * MINUTE,
    runAnomalies: options.anomalies ?? true,
    anomalyIntervalMs: options.anomalyIntervalMs ?? 60 * MINUTE,
    bodyLimitBytes: options.bodyLimitBytes ?? 256 * 1024,
    ingestBodyLimitBytes: options.ingestBodyLimitBytes ?? 5 * 1024 * 1024,
    proofBodyLimitBytes: options.proofBodyLimitBytes ?? 320 * 1024,
    ingestRateLimit: options.ingestRateLimit ?? { max: 120, windowMs: MINUTE },
    authRateLimit: options.authRateLimit ?? { max: 20, windowMs: MINUTE },
    passwordCost: options.passwordCost ?? DEFAULT_SCRYPT_COST,
    lateEventAfterMs: options.lateEventAfterMs ?? LATE_AFTER_MS,
  };
}
