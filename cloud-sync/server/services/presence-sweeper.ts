/**
 * Marks gateways offline when their heartbeats stop: every sweep flips the ones not
 * seen within the window and raises device_offline (the repository makes the flip
 * atomic, so several servers sweeping the same database raise it once). Runs on
 * the injected clock, so tests drive it without sleeping.
 */
import type { FastifyBaseLogger } from 'fastify';
import type { ServerClock, ServerTimer } from '../clock.js';
import type { CloudMetrics } from '../metrics.js';
import type { PresenceChange, Repository } from '../storage/repository.js';
import { notificationPolicy } from './notification-policy.js';
import { deliverAll, type Notifier } from './notifier.js';

export interface SweeperOptions {
  /** A gateway unheard for this long is offline (default 3 × 60 s heartbeats). */
  readonly offlineAfterMs: number;
  readonly intervalMs: number;
}

export class PresenceSweeper {
  #timer: ServerTimer | undefined;
  #running = false;
  #stopped = true;
  #sweeping: Promise<PresenceChange[]> | undefined;

  constructor(
    private readonly repo: Repository,
    private readonly clock: ServerClock,
    private readonly options: SweeperOptions,
    private readonly notifier: Notifier,
    private readonly metrics: CloudMetrics,
    private readonly logger: FastifyBaseLogger,
  ) {}

  start(): void {
    if (!this.#stopped) return;
    this.#stopped = false;
    this.#schedule();
  }

  /** Stops the timer and waits for a sweep in progress. */
  async stop(): Promise<void> {
    this.#stopped = true;
    if (this.#timer !== undefined) this.clock.clearTimeout(this.#timer);
    this.#timer = undefined;
    await this.#sweeping?.catch(() => undefined);
  }

  /** One sweep now; returns the gateways that went offline. */
  async sweep(): Promise<PresenceChange[]> {
    if (this.#running) return [];
    this.#running = true;
    const now = this.clock.now();
    this.#sweeping = this.repo.gateways.markOffline(now - this.options.offlineAfterMs, now, notificationPolicy);
    try {
      const changes = await this.#sweeping;
      for (const change of changes) {
        this.metrics.presence.inc({ presence: change.presence });
        for (const n of change.notifications) this.metrics.notifications.inc({ type: n.type });
        this.logger.warn({ gateway: change.gatewayId }, 'gateway offline: heartbeats stopped');
        deliverAll(this.notifier, change.notifications, this.logger);
      }
      return changes;
    } finally {
      this.#running = false;
    }
  }

  #schedule(): void {
    if (this.#stopped) return;
    this.#timer = this.clock.setTimeout(() => {
      this.sweep()
        .catch((error: unknown) => this.logger.error({ err: error }, 'presence sweep failed'))
        .finally(() => this.#schedule());
    }, this.options.intervalMs);
  }
}
