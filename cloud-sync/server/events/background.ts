/**
 * The cloud's background work, wired once by build(): the domain event bus (in
 * process, or LISTEN/NOTIFY on PostgreSQL), the outbox worker (woken by each
 * notification created, anywhere), and the jobs that run once per tick across API
 * processes (the presence sweep, retention, auto-order).
 */
import { hostname } from 'node:os';
import { randomBytes } from 'node:crypto';
import type { FastifyBaseLogger } from 'fastify';
import type { ServerClock } from '../clock.js';
import type { CloudMetrics } from '../metrics.js';
import type { Settings } from '../options.js';
import type { Notifier } from '../services/notifier.js';
import type { PresenceSweeper } from '../services/presence-sweeper.js';
import type { RetentionSweeper } from '../services/retention-sweeper.js';
import { isPostgresUrl } from '../storage/open-repository.js';
import type { Repository } from '../storage/repository.js';
import { NOTIFICATION_DELIVERY } from '../storage/repositories/notifications.js';
import { AnomalyJob } from '../modules/analytics/anomaly-job.js';
import { AutoOrderJob } from '../modules/orders/auto-order.js';
import { DELIVERY_SEND } from '../storage/repositories/deliveries.js';
import type { Channels } from '../modules/notifications/channels/index.js';
import { ACCOUNT_EMAIL, accountEmailSender } from '../modules/notifications/delivery/account-email.js';
import { DEFAULT_CHANNEL_LIMITS, type ChannelLimits } from '../modules/notifications/delivery/delivery-limits.js';
import { PASSWORD_RESET_REQUEST, passwordResetRequested } from '../modules/accounts/password-reset.js';
import { DEFAULT_GIVE_UP_AFTER_MS, deliverySender } from '../modules/notifications/delivery/delivery-sender.js';
import { localEventBus, type EventBus } from './event-bus.js';
import { JobRunner } from './job-runner.js';
import { notificationDelivery } from './notification-delivery.js';
import { OutboxWorker } from './outbox-worker.js';
import { pgEventBus } from './pg-event-bus.js';

export interface OutboxOptions {
  /** How long a claimed row stays one process's (default 60 s): longer than any channel's send deadline. */
  readonly leaseMs?: number;
  /** How often rows due for a retry are looked for (default 5 s). */
  readonly pollMs?: number;
  /** Tries before a delivery is given up (default 10). */
  readonly maxAttempts?: number;
  /** The back-off's first ceiling (default 2 s). */
  readonly retryBaseMs?: number;
  /** Rows sent at once by this process (default 8): a send mostly waits on the provider. */
  readonly concurrency?: number;
  /** A notification delivery not through after this long fails (default 1 h; retries back off up to then). */
  readonly giveUpAfterMs?: number;
  /** Per-user sends per channel per rolling hour (default: 10 SMS); over it, a digest. */
  readonly channelLimits?: ChannelLimits;
  /** An unacknowledged critical alarm is repeated on every channel this often (default 5 min)… */
  readonly escalationIntervalMs?: number;
  /** …up to this many times (default 3); one interval after the last, the emergency contacts are told. */
  readonly escalationRepeats?: number;
  /** How often due escalations are looked for (default 30 s). */
  readonly escalationCheckMs?: number;
  /** Drain on a timer and on each commit (default true); tests call `app.cloud.outbox.drain()` instead. */
  readonly run?: boolean;
}

/** This process, as the owner of leases: readable in the database when an operator looks. */
export function processOwner(): string {
  return `${hostname()}:${process.pid}:${randomBytes(3).toString('hex')}`;
}

export function openEventBus(db: string | Repository, schema: string | undefined, clock: ServerClock, logger: FastifyBaseLogger): EventBus {
  const events = logger.child({ component: 'events' });
  return typeof db === 'string' && isPostgresUrl(db) ? pgEventBus(db, schema, clock, events) : localEventBus(events);
}

/**
 * Writes the repeat deliveries of every unacknowledged critical alarm that is due,
 * and, one interval after an alarm's last repeat, its emergency contacts' (once);
 * wakes the outbox when it wrote any.
 */
async function escalateDue(repo: Repository, clock: ServerClock, policy: { intervalMs: number; repeats: number }, wake: () => void): Promise<number> {
  const due = await repo.activeAlerts.escalationsDue(clock.now(), policy.intervalMs, policy.repeats);
  let written = 0;
  for (const key of due) written += await repo.activeAlerts.escalate(key, clock.now(), policy.intervalMs, policy.repeats);
  const contactsDue = await repo.activeAlerts.contactsDue(clock.now(), policy.intervalMs, policy.repeats);
  for (const key of contactsDue) written += await repo.activeAlerts.tellContacts(key, clock.now());
  if (written > 0) wake();
  return written;
}

export interface Background {
  readonly owner: string;
  readonly outbox: OutboxWorker;
  readonly jobs: JobRunner;
  start(): void;
  stop(): Promise<void>;
}

export function background(
  parts: {
    readonly repo: Repository;
    readonly bus: EventBus;
    readonly clock: ServerClock;
    readonly settings: Settings;
    readonly notifier: Notifier;
    /** The notification channels (email, push, SMS, webhook) deliveries are sent through. */
    readonly channels: Channels;
    /** The dashboard's public address, for links in messages. */
    readonly publicUrl: string;
    readonly sweeper: PresenceSweeper;
    readonly retention: RetentionSweeper;
    readonly metrics: CloudMetrics;
    readonly logger: FastifyBaseLogger;
  },
  options: OutboxOptions = {},
): Background {
  const { repo, bus, clock, settings, metrics, logger } = parts;
  const owner = processOwner();
  const outbox = new OutboxWorker(
    repo,
    clock,
    {
      owner,
      leaseMs: options.leaseMs ?? 60_000,
      pollMs: options.pollMs ?? 5_000,
      concurrency: options.concurrency ?? 8,
      ...(options.maxAttempts === undefined ? {} : { maxAttempts: options.maxAttempts }),
      ...(options.retryBaseMs === undefined ? {} : { retryBaseMs: options.retryBaseMs }),
    },
    {
      [NOTIFICATION_DELIVERY]: notificationDelivery(parts.notifier),
      [DELIVERY_SEND]: deliverySender(
        repo,
        parts.channels,
        { maxAttempts: options.maxAttempts ?? 10, giveUpAfterMs: options.giveUpAfterMs ?? DEFAULT_GIVE_UP_AFTER_MS, publicUrl: parts.publicUrl, limits: options.channelLimits ?? DEFAULT_CHANNEL_LIMITS },
        () => clock.now(),
        metrics,
        logger.child({ component: 'delivery' }),
      ),
      [ACCOUNT_EMAIL]: accountEmailSender(parts.channels, logger.child({ component: 'account-email' })),
      [PASSWORD_RESET_REQUEST]: passwordResetRequested(repo, clock, parts.publicUrl, () => outbox.kick()),
    },
    metrics,
    logger.child({ component: 'outbox' }),
  );
  const jobs = new JobRunner(repo.jobs, clock, owner, metrics, logger.child({ component: 'jobs' }));
  jobs.every('escalation', options.escalationCheckMs ?? 30_000, () =>
    escalateDue(repo, clock, { intervalMs: options.escalationIntervalMs ?? 300_000, repeats: options.escalationRepeats ?? 3 }, () => outbox.kick()),
  );
  if (settings.runSweeper) jobs.every('presence-sweep', settings.sweepIntervalMs, () => parts.sweeper.sweep());
  if (settings.runRetention && settings.rawRetentionMs !== null) jobs.every('retention', settings.retentionIntervalMs, () => parts.retention.run());
  if (settings.runAutoOrder) {
    const autoOrder = new AutoOrderJob(repo, clock, logger.child({ component: 'auto-order' }));
    jobs.every('auto-order', settings.autoOrderIntervalMs, () => autoOrder.run());
  }
  if (settings.runAnomalies) {
    const anomalies = new AnomalyJob(repo, clock, logger.child({ component: 'anomalies' }));
    jobs.every('anomalies', settings.anomalyIntervalMs, () => anomalies.run());
  }
  let unsubscribe: (() => void) | undefined;
  return {
    owner,
    outbox,
    jobs,
    start() {
      jobs.start();
      if (options.run === false) return;
      outbox.start();
      unsubscribe = bus.subscribe((event) => {
        if (event.type === 'notification.created' && event.notification.channels.length > 0) outbox.kick();
      });
    },
    async stop() {
      unsubscribe?.();
      await Promise.all([jobs.stop(), outbox.stop()]);
      await Promise.all([parts.sweeper.stop(), parts.retention.stop()]);
      await bus.close();
    },
  };
}
