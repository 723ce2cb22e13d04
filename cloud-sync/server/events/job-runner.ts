/**
 * Background jobs that must run once per interval across every API process on one
 * database (the presence sweep, retention; later auto-orders and analytics). Each
 * process keeps a timer per job on the injected clock; at each tick it tries to
 * take the job's lease until the next run is due, and only the process that takes
 * it runs the job. A process that dies leaves the lease to expire, and the next
 * tick of any other process runs the job.
 */
import type { FastifyBaseLogger } from 'fastify';
import type { ServerClock, ServerTimer } from '../clock.js';
import type { CloudMetrics } from '../metrics.js';
import type { JobLeaseRepository } from '../storage/repository.js';

interface Job {
  readonly name: string;
  readonly intervalMs: number;
  readonly run: () => Promise<unknown>;
  timer?: ServerTimer;
  running?: Promise<void>;
}

export class JobRunner {
  readonly #jobs: Job[] = [];
  #stopped = true;

  constructor(
    private readonly leases: JobLeaseRepository,
    private readonly clock: ServerClock,
    private readonly owner: string,
    private readonly metrics: CloudMetrics,
    private readonly logger: FastifyBaseLogger,
  ) {}

  /** Registers a job; it starts with the runner. */
  every(name: string, intervalMs: number, run: () => Promise<unknown>): void {
    this.#jobs.push({ name, intervalMs, run });
  }

  start(): void {
    if (!this.#stopped) return;
    this.#stopped = false;
    for (const job of this.#jobs) this.#schedule(job);
  }

  /** Stops the timers and waits for runs in progress. */
  async stop(): Promise<void> {
    this.#stopped = true;
    for (const job of this.#jobs) if (job.timer !== undefined) this.clock.clearTimeout(job.timer);
    await Promise.all(this.#jobs.map((job) => job.running ?? Promise.resolve()));
  }

  /** One tick of the named job now: runs it when this process takes the lease; returns whether it ran. */
  async tick(name: string): Promise<boolean> {
    const job = this.#jobs.find((j) => j.name === name);
    if (job === undefined) throw new Error(`no job ${name}`);
    const now = this.clock.now();
    // A little short of the interval, so this process's own next tick (its timer fires a few ms late) finds it free.
    if (!(await this.leases.take(job.name, this.owner, now, now + job.intervalMs - Math.min(50, job.intervalMs / 10)))) return false;
    this.metrics.jobRuns.inc({ job: job.name });
    await job.run();
    return true;
  }

  #schedule(job: Job): void {
    if (this.#stopped) return;
    job.timer = this.clock.setTimeout(() => {
      job.running = this.tick(job.name)
        .then(() => undefined)
        .catch((error: unknown) => this.logger.error({ err: error, job: job.name }, 'background job failed'))
        .finally(() => {
          job.running = undefined;
          this.#schedule(job);
        });
    }, job.intervalMs);
  }
}
