/**
 * Drains the outbox: claims due rows under a lease, runs each kind's handler, and
 * settles the row: done, or due again after the one back-off (or the provider's
 * Retry-After), or failed for good after `maxAttempts`. Every API process runs
 * one; the claim gives each row to exactly one of them, and a row whose process
 * died is claimed again once its lease runs out (so the lease must outlast a
 * handler's own deadline). Woken by `kick()` right after a commit that wrote a row,
 * and by a poll for retries that fall due. Runs on the injected clock.
 */
import type { FastifyBaseLogger } from 'fastify';
import { backoffDelay } from '../../client/backoff.js';
import type { ServerClock, ServerTimer } from '../clock.js';
import type { CloudMetrics } from '../metrics.js';
import type { OutboxItem, OutboxOutcome, OutboxRepository, Repositories, Repository } from '../storage/repository.js';

/**
 * The handler's own writes (a delivery's log line, say), committed in the same
 * transaction as the row's settling: one commit per row instead of two, which on
 * SQLite (synchronous=FULL, a blocking fsync) is what a send costs most.
 */
export type SettleWrite = (tx: Repositories) => Promise<void>;

export type HandlerResult =
  | { readonly status: 'done'; readonly outcome?: OutboxOutcome; readonly error?: string; readonly commit?: SettleWrite }
  | { readonly status: 'retry'; readonly error: string; readonly retryAfterMs?: number; readonly commit?: SettleWrite };

/** Runs one row's work. A throw is a retry. */
export type OutboxHandler = (payload: unknown, item: OutboxItem) => Promise<HandlerResult>;

export interface OutboxWorkerOptions {
  /** This process, as lease owner. */
  readonly owner: string;
  /** How long a claimed row stays this process's (default 60 s). */
  readonly leaseMs: number;
  /** How often due retries are looked for (default 5 s). */
  readonly pollMs: number;
  /** Rows per claim (default 20). */
  readonly batch?: number;
  /** Rows worked on at once (default 1). */
  readonly concurrency?: number;
  /** Tries before a row is failed for good (default 10). */
  readonly maxAttempts?: number;
  /** The back-off's first ceiling and cap (defaults 2 s and 30 min). */
  readonly retryBaseMs?: number;
  readonly retryCapMs?: number;
  readonly random?: () => number;
}

/** The longest a provider's Retry-After may park a row. */
const RETRY_AFTER_CAP_MS = 6 * 3_600_000;

export class OutboxWorker {
  #timer: ServerTimer | undefined;
  #stopped = true;
  #draining: Promise<number> | undefined;
  #again = false;
  #closing = false;

  constructor(
    private readonly store: Pick<Repository, 'outbox' | 'transaction'>,
    private readonly clock: ServerClock,
    private readonly options: OutboxWorkerOptions,
    private readonly handlers: Readonly<Record<string, OutboxHandler>>,
    private readonly metrics: CloudMetrics,
    private readonly logger: FastifyBaseLogger,
  ) {}

  start(): void {
    if (!this.#stopped) return;
    this.#stopped = false;
    this.#closing = false;
    this.#schedule(0);
  }

  /** Stops polling; the row in hand is finished, the rest of the claim given back. */
  async stop(): Promise<void> {
    this.#stopped = true;
    this.#closing = true;
    if (this.#timer !== undefined) this.clock.clearTimeout(this.#timer);
    this.#timer = undefined;
    await this.#draining?.catch(() => undefined);
  }

  /** A commit wrote a row: drain now (no timer: it is not a matter of time), or once more after the round in progress. */
  kick(): void {
    if (this.#stopped) return;
    if (this.#draining !== undefined) {
      this.#again = true;
      return;
    }
    this.drain().catch((error: unknown) => this.logger.error({ err: error }, 'outbox drain failed'));
  }

  /** Drains every due row now; returns how many rows were settled or rescheduled. */
  drain(): Promise<number> {
    this.#draining ??= this.#drainAll().finally(() => (this.#draining = undefined));
    return this.#draining;
  }

  async #drainAll(): Promise<number> {
    const batch = this.options.batch ?? 20;
    let handled = 0;
    for (;;) {
      this.#again = false;
      const claimed = await this.store.outbox.claim(this.options.owner, this.clock.now(), this.options.leaseMs, batch);
      handled += await this.#runClaimed(claimed);
      if (this.#closing) return handled;
      if (claimed.length < batch && !this.#again) return handled;
    }
  }

  /** Runs the claimed rows, `concurrency` at a time (a send waits on a provider, not on us); on stop, gives back those not started. */
  async #runClaimed(claimed: readonly OutboxItem[]): Promise<number> {
    let next = 0;
    let handled = 0;
    const lane = async (): Promise<void> => {
      while (next < claimed.length) {
        if (this.#closing && next > 0) {
          const rest = claimed.slice(next).map((c) => c.id);
          next = claimed.length;
          await this.store.outbox.release(rest, this.options.owner);
          return;
        }
        const item = claimed[next++];
        if (item !== undefined) await this.#run(item);
        handled++;
      }
    };
    await Promise.all(Array.from({ length: Math.max(1, Math.min(this.options.concurrency ?? 1, claimed.length)) }, lane));
    return handled;
  }

  async #run(item: OutboxItem): Promise<void> {
    const handler = this.handlers[item.kind];
    let result: HandlerResult;
    try {
      result = handler === undefined ? { status: 'done', outcome: 'failed', error: `no handler for ${item.kind}` } : await handler(item.payload, item);
    } catch (error) {
      result = { status: 'retry', error: error instanceof Error ? error.message : String(error) };
    }
    const { owner } = this.options;
    const now = this.clock.now();
    const { commit } = result;
    const settling = (fn: (outbox: OutboxRepository) => Promise<boolean>): Promise<boolean> =>
      commit === undefined
        ? fn(this.store.outbox)
        : this.store.transaction(async (tx) => {
            await commit(tx);
            return fn(tx.outbox);
          });
    let kept: boolean;
    if (result.status === 'done') {
      kept = await settling((outbox) => outbox.settle(item.id, owner, result.outcome ?? 'delivered', result.error ?? null, now));
      this.metrics.outbox.inc({ kind: item.kind, outcome: result.outcome ?? 'delivered' });
    } else if (item.attempts + 1 >= (this.options.maxAttempts ?? 10)) {
      kept = await settling((outbox) => outbox.settle(item.id, owner, 'failed', `gave up after ${item.attempts + 1} tries: ${result.error}`, now));
      this.metrics.outbox.inc({ kind: item.kind, outcome: 'failed' });
      this.logger.error({ outbox: item.id, kind: item.kind, error: result.error }, 'outbox: gave up');
    } else {
      const wait =
        result.retryAfterMs ?? backoffDelay(item.attempts, { baseMs: this.options.retryBaseMs ?? 2_000, capMs: this.options.retryCapMs ?? 1_800_000, random: this.options.random });
      kept = await settling((outbox) => outbox.retryAt(item.id, owner, now + Math.min(wait, RETRY_AFTER_CAP_MS), result.error));
      this.metrics.outbox.inc({ kind: item.kind, outcome: 'retry' });
      this.logger.warn({ outbox: item.id, kind: item.kind, error: result.error, retryInMs: wait }, 'outbox: will retry');
    }
    // The lease ran out while the handler ran and another process took the row: it may deliver twice.
    if (!kept) this.logger.warn({ outbox: item.id, kind: item.kind }, 'outbox: lease lost before settling (handler slower than the lease)');
  }

  #schedule(ms: number): void {
    if (this.#stopped) return;
    if (this.#timer !== undefined) this.clock.clearTimeout(this.#timer);
    this.#timer = this.clock.setTimeout(() => {
      this.#timer = undefined;
      this.drain()
        .catch((error: unknown) => this.logger.error({ err: error }, 'outbox drain failed'))
        .finally(() => this.#schedule(this.#again ? 0 : this.options.pollMs));
    }, ms);
  }
}
