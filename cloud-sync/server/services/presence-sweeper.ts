/**
 * Marks gateways offline when their heartbeats stop: every sweep flips the ones not
 * seen within the window and raises device_offline (the repository makes the flip
 * atomic, so several servers sweeping the same database raise it once). The job
 * runner (events/job-runner.ts) calls it on the injected clock, in one API process
 * per tick; tests call sweep() without sleeping.
 */
import type { FastifyBaseLogger } from 'fastify';
import type { ServerClock } from '../clock.js';
import type { CloudMetrics } from '../metrics.js';
import type { PresenceChange, Repository } from '../storage/repository.js';
import { notificationPolicy } from './notification-policy.js';

export interface SweeperOptions {
  /** A gateway unheard for this long is offline (default 3 × 60 s heartbeats). */
  readonly offlineAfterMs: number;
}

export class PresenceSweeper {
  #running = false;
  #sweeping: Promise<PresenceChange[]> | undefined;

  constructor(
    private readonly repo: Repository,
    private readonly clock: ServerClock,
    private readonly options: SweeperOptions,
    private readonly metrics: CloudMetrics,
    private readonly logger: FastifyBaseLogger,
  ) {}

  /** Waits for a sweep in progress. */
  async stop(): Promise<void> {
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
      }
      return changes;
    } finally {
      this.#running = false;
    }
  }
}
