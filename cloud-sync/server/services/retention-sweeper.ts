/**
 * Deletes raw readings past the retention horizon, in small chunks with a pause
 * between them, so a first run over years of data never holds SQLite's event loop
 * or PostgreSQL's locks for long. The horizon is aligned to the hour, so rollup
 * buckets are pruned whole. Several API processes on one PostgreSQL take turns
 * (an advisory lock); a process that finds another pruning leaves the round to it.
 * The job runner (events/job-runner.ts) schedules the rounds.
 */
import { setImmediate as yieldToEventLoop } from 'node:timers/promises';
import type { FastifyBaseLogger } from 'fastify';
import type { ServerClock } from '../clock.js';
import type { CloudMetrics } from '../metrics.js';
import type { Repository } from '../storage/repository.js';

export interface RetentionOptions {
  /** Raw readings older than this go; null keeps them for ever. */
  readonly rawRetentionMs: number | null;
  /** Rows per chunk (one short transaction each). */
  readonly chunkRows?: number;
}

const HOUR = 3_600_000;

export class RetentionSweeper {
  #closing = false;
  #running: Promise<number> | undefined;

  constructor(
    private readonly repo: Repository,
    private readonly clock: ServerClock,
    private readonly options: RetentionOptions,
    private readonly metrics: CloudMetrics,
    private readonly logger: FastifyBaseLogger,
  ) {}

  /** Waits for a round in progress (which stops after its current chunk). */
  async stop(): Promise<void> {
    this.#closing = true;
    await this.#running?.catch(() => undefined);
  }

  /** One round now; returns how many raw readings it deleted. */
  run(): Promise<number> {
    this.#running ??= this.#round().finally(() => (this.#running = undefined));
    return this.#running;
  }

  async #round(): Promise<number> {
    const keep = this.options.rawRetentionMs;
    if (keep === null) return 0;
    const before = Math.floor((this.clock.now() - keep) / HOUR) * HOUR;
    const chunk = this.options.chunkRows ?? 2_000;
    let deleted = 0;
    for (const sensor of await this.repo.retention.sensorsWithRawBefore(before)) {
      for (;;) {
        const n = await this.repo.retention.pruneRaw(sensor, before, chunk);
        if (n === 'busy' || this.#closing) return deleted + (n === 'busy' ? 0 : n);
        deleted += n;
        this.metrics.readingsPruned.inc({}, n);
        // Let requests in between chunks.
        await yieldToEventLoop();
        if (n < chunk) break;
      }
    }
    if (deleted > 0) this.logger.info({ deleted, before: new Date(before).toISOString() }, 'retention: raw readings pruned (rollups kept)');
    return deleted;
  }
}
