/**
 * When the journal's readings move into SQLite, and when the acked cursor is
 * written: StoreService's schedule for both. A transfer runs transferIntervalMs
 * after the first pending reading, at once when transferMaxRows are pending, and
 * when the service asks (flush, close, before retention shrinks). A failed transfer
 * leaves the readings durable in the journal and pending in memory; it is counted,
 * logged once per outage, handed to the service's failure handling (reopen a
 * damaged file, prune on a full disk) and retried with backoff.
 */
import type { Clock } from '../../hardware/clock.js';
import type { Logger } from '../../hardware/logger.js';
import { DeferredTask } from './deferred-task.js';
import type { GatewayStore } from './gateway-store.js';
import { classifyWriteFailure, describeError, errorCode, type WriteFailureKind } from './store-errors.js';

export interface JournalTransfersOptions {
  readonly clock: Clock;
  readonly logger: Logger;
  readonly intervalMs: number;
  readonly maxRows: number;
  /** Pending readings held at most; past it a batch makes room first, or fails (and waits in the writer). */
  readonly maxPending: number;
  readonly ackPersistMs: number;
  readonly retryInitialMs: number;
  readonly retryMaxMs: number;
  /** The open store, undefined while there is none (closed as damaged, not reopened yet). */
  readonly current: () => GatewayStore | undefined;
  /** Opens the store (replaying the journal); throws when it cannot. */
  readonly open: () => GatewayStore;
  readonly onFailure: (kind: WriteFailureKind, err: unknown) => void;
}

export class JournalTransfers {
  readonly #options: JournalTransfersOptions;
  readonly #transferTask: DeferredTask;
  readonly #ackTask: DeferredTask;
  #retryMs: number;
  #failures = 0;
  #lastError: string | undefined;
  #stopped = false;

  constructor(options: JournalTransfersOptions) {
    this.#options = options;
    this.#retryMs = options.retryInitialMs;
    this.#transferTask = new DeferredTask(options.clock, () => this.#due());
    this.#ackTask = new DeferredTask(options.clock, () => this.#persistAck());
  }

  get failures(): number {
    return this.#failures;
  }

  /** Why the last transfer failed, while the failure lasts. */
  get lastError(): string | undefined {
    return this.#lastError;
  }

  /** Before `n` readings are journaled: keeps memory bounded. Throws when the room cannot be made. */
  beforeAppend(store: GatewayStore, n: number): void {
    if (store.pendingReadings > 0 && store.pendingReadings + n > this.#options.maxPending) store.transfer();
  }

  afterAppend(store: GatewayStore): void {
    if (store.pendingReadings >= this.#options.maxRows) this.transfer();
    else if (store.pendingReadings > 0) this.#transferTask.schedule(this.#options.intervalMs);
  }

  /** A store was opened: says what its journal held, and retries soon what could not be moved in. */
  afterOpen(store: GatewayStore): void {
    const replay = store.journalReplay;
    const { logger } = this.#options;
    if (replay.droppedBytes > 0) {
      logger.warn({ ...replay }, 'readings journal ended in a torn or damaged batch; it was dropped, the batches before it kept');
    }
    if (replay.readings > 0) logger.info({ ...replay }, 'readings journal replayed into SQLite (the last run ended without a close)');
    if (replay.transferError !== undefined) {
      logger.error({ ...replay }, 'journaled readings could not be moved into SQLite at open; they stay pending and are retried');
    }
    if (store.pendingReadings > 0) this.#transferTask.schedule(this.#retryMs);
  }

  /** The acked cursor moved: it is written within ackPersistMs (sooner if a transfer or event takes it along). */
  ackMoved(store: GatewayStore): void {
    if (store.ackUnsaved) this.#ackTask.schedule(this.#options.ackPersistMs);
  }

  /** Moves the journal into SQLite now; never throws. False when it could not (retried later). */
  transfer(): boolean {
    const store = this.#options.current();
    if (store?.isOpen !== true) return false; // the next open replays the journal
    this.#transferTask.cancel();
    const { logger } = this.#options;
    try {
      const { readings, refused } = store.transfer();
      if (refused > 0) logger.error({ readings, refused }, 'SQLite refused journaled readings; counted as rejected');
      if (this.#lastError !== undefined) logger.info({ readings, failures: this.#failures }, 'journaled readings moved into SQLite again');
      this.#lastError = undefined;
      this.#retryMs = this.#options.retryInitialMs;
      return true;
    } catch (err) {
      const first = this.#lastError === undefined;
      this.#failures++;
      this.#lastError = describeError(err);
      const fields = { err: this.#lastError, code: errorCode(err), pending: store.pendingReadings };
      if (first) logger.error(fields, 'moving journaled readings into SQLite failed; they stay in the journal and are retried');
      else logger.debug(fields, 'moving journaled readings into SQLite failed again');
      this.#options.onFailure(classifyWriteFailure(err), err);
      if (!this.#stopped) this.#transferTask.schedule(this.#retryMs);
      this.#retryMs = Math.min(this.#retryMs * 2, this.#options.retryMaxMs);
      return false;
    }
  }

  /** A transfer that only logs at debug level, for retention's beforeShrink (whose failure must not recurse). */
  transferQuietly(): void {
    this.#quietly(() => this.#options.current()?.transfer());
  }

  /** No more timers (close). */
  stop(): void {
    this.#stopped = true;
    this.#transferTask.cancel();
    this.#ackTask.cancel();
  }

  /** The timer: (re)opens the store if needed, which replays the journal, then transfers. */
  #due(): void {
    if (this.#stopped) return;
    try {
      this.#options.open();
    } catch {
      this.#transferTask.schedule(this.#retryMs);
      return;
    }
    this.transfer();
  }

  #persistAck(): void {
    const store = this.#options.current();
    if (this.#stopped || store?.isOpen !== true) return;
    if (!this.#quietly(() => store.persistAck())) this.#ackTask.schedule(this.#options.retryMaxMs);
  }

  #quietly(fn: () => unknown): boolean {
    try {
      fn();
      return true;
    } catch (err) {
      this.#options.logger.debug({ err: describeError(err), code: errorCode(err) }, 'store write failed; retried later');
      return false;
    }
  }
}
