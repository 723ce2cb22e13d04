/**
 * Puts batches and events into the store without ever throwing at the caller.
 * When a write fails because the disk is full, read-only, failing or the file is
 * damaged, the data waits in a bounded in-memory queue (events written first,
 * events never evicted by readings) and is retried with backoff. An overflow is
 * counted, logged and later written to the counters table: never silent.
 */
import type { Clock, TimerHandle } from '../../hardware/clock.js';
import { silentLogger, type Logger } from '../../hardware/logger.js';
import type { ReadingItem, SeqRange, StorableEvent } from './records.js';
import { classifyWriteFailure, describeError, errorCode, type WriteFailureKind } from './store-errors.js';

export interface EventItem {
  readonly event: StorableEvent;
  /** The client's message id (worker mode), so a resent event is found instead of inserted twice. */
  readonly ref?: number;
  readonly onCommitted?: (seq: number) => void;
  /** Called when the event is given up (queue overflow, or the store rejects it outright). */
  readonly onDropped?: (reason: string) => void;
}

/** Where the writer writes; each call is one transaction and throws on failure. */
export interface WriteSink {
  writeReadings(items: readonly ReadingItem[]): SeqRange;
  writeEvent(item: EventItem): number;
  addCounters(deltas: Readonly<Record<string, number>>): void;
}

export interface StoreWriterOptions {
  readonly clock: Clock;
  readonly logger?: Logger;
  /** Readings held in memory while the store cannot be written. Default 50 000. */
  readonly maxQueuedReadings?: number;
  /** Events held in memory while the store cannot be written. Default 10 000. */
  readonly maxQueuedEvents?: number;
  /** First retry delay; doubles up to retryMaxMs. Defaults 500 ms and 30 s. */
  readonly retryInitialMs?: number;
  readonly retryMaxMs?: number;
  /** Lets the owner react to a failure (reopen a damaged file, prune on a full disk). */
  readonly onFailure?: (kind: WriteFailureKind, err: unknown) => void;
  readonly onReadingsCommitted?: (items: readonly ReadingItem[], range: SeqRange) => void;
}

export interface WriteFault {
  readonly kind: WriteFailureKind;
  readonly code?: string;
  readonly message: string;
  /** Wall-clock time of the failure. */
  readonly at: number;
}

export interface WriterStats {
  /** 'queueing' while writes fail and data waits in memory. */
  readonly state: 'ok' | 'queueing';
  readonly queuedReadings: number;
  readonly queuedEvents: number;
  /** Given up because the in-memory queue was full (since start). */
  readonly droppedReadings: number;
  readonly droppedEvents: number;
  /** Refused by the store for what they are (not for the disk's state). */
  readonly rejectedReadings: number;
  readonly rejectedEvents: number;
  readonly failures: number;
  readonly lastFault?: WriteFault;
}

export class StoreWriter {
  readonly #sink: WriteSink;
  readonly #clock: Clock;
  readonly #logger: Logger;
  readonly #options: StoreWriterOptions;
  readonly #maxReadings: number;
  readonly #maxEvents: number;
  readonly #events: EventItem[] = [];
  readonly #batches: ReadingItem[][] = [];
  #queuedReadings = 0;
  #retry: TimerHandle | undefined;
  #retryDelay: number;
  #closed = false;
  #outage = false;
  #stats = { droppedReadings: 0, droppedEvents: 0, rejectedReadings: 0, rejectedEvents: 0, failures: 0 };
  /** Drops not yet written to the counters table. */
  #unrecorded = { readings: 0, events: 0 };
  #lastFault: WriteFault | undefined;

  constructor(sink: WriteSink, options: StoreWriterOptions) {
    this.#sink = sink;
    this.#clock = options.clock;
    this.#logger = options.logger ?? silentLogger;
    this.#options = options;
    this.#maxReadings = options.maxQueuedReadings ?? 50_000;
    this.#maxEvents = options.maxQueuedEvents ?? 10_000;
    this.#retryDelay = options.retryInitialMs ?? 500;
  }

  get queued(): number {
    return this.#queuedReadings + this.#events.length;
  }

  writeReadings(items: readonly ReadingItem[]): void {
    if (items.length === 0) return;
    if (this.#closed) {
      this.#drop('readings', items.length, 'the store is closed');
      return;
    }
    this.#batches.push([...items]);
    this.#queuedReadings += items.length;
    this.#trimReadings();
    if (this.#retry === undefined) this.#attempt();
  }

  writeEvent(item: EventItem): void {
    if (this.#closed) {
      this.#drop('events', 1, 'the store is closed');
      item.onDropped?.('the store is closed');
      return;
    }
    this.#events.push(item);
    while (this.#events.length > this.#maxEvents) {
      const dropped = this.#events.shift();
      this.#drop('events', 1, 'the in-memory event queue is full');
      dropped?.onDropped?.('the in-memory event queue is full');
    }
    if (this.#retry === undefined) this.#attempt();
  }

  /** Tries everything queued now, ignoring the backoff; returns how many records still wait. */
  drain(): number {
    this.#cancelRetry();
    if (!this.#closed) this.#attempt();
    return this.queued;
  }

  /** Stops retrying; returns how many queued records are lost. */
  close(): number {
    const lost = this.drain();
    this.#closed = true;
    this.#cancelRetry();
    if (lost > 0) {
      this.#logger.error({ lost, lastFault: this.#lastFault }, 'store closed with records it could not write');
    }
    return lost;
  }

  stats(): WriterStats {
    return {
      state: this.queued > 0 ? 'queueing' : 'ok',
      queuedReadings: this.#queuedReadings,
      queuedEvents: this.#events.length,
      ...this.#stats,
      ...(this.#lastFault !== undefined && { lastFault: this.#lastFault }),
    };
  }

  /** Writes the queue in order, events first; stops at the first failure and schedules a retry. */
  #attempt(): void {
    for (;;) {
      const event = this.#events[0];
      if (event !== undefined) {
        if (!this.#tryWrite(() => this.#commitEvent(event), 'events', 1)) return;
        this.#events.shift();
        continue;
      }
      const batch = this.#batches[0];
      if (batch === undefined) break;
      if (!this.#tryWrite(() => this.#commitReadings(batch), 'readings', batch.length)) return;
      this.#batches.shift();
      this.#queuedReadings -= batch.length;
    }
    this.#recovered();
  }

  #commitEvent(item: EventItem): void {
    const seq = this.#sink.writeEvent(item);
    item.onCommitted?.(seq);
  }

  #commitReadings(items: readonly ReadingItem[]): void {
    const range = this.#sink.writeReadings(items);
    this.#options.onReadingsCommitted?.(items, range);
  }

  /** True when the write committed or was rejected for good (the item leaves the queue either way). */
  #tryWrite(write: () => void, what: 'readings' | 'events', n: number): boolean {
    try {
      write();
      return true;
    } catch (err) {
      const kind = classifyWriteFailure(err);
      if (kind === 'rejected') {
        if (what === 'readings') this.#stats.rejectedReadings += n;
        else this.#stats.rejectedEvents += n;
        if (what === 'events') this.#events[0]?.onDropped?.(describeError(err));
        this.#logger.error({ err: describeError(err), code: errorCode(err), records: n, what }, 'store refused a write; dropped');
        return true;
      }
      this.#failed(kind, err);
      return false;
    }
  }

  #failed(kind: WriteFailureKind, err: unknown): void {
    const code = errorCode(err);
    this.#stats.failures++;
    this.#lastFault = { kind, message: describeError(err), at: this.#clock.now(), ...(code !== undefined && { code }) };
    const fields = { kind, code, err: describeError(err), queuedReadings: this.#queuedReadings, queuedEvents: this.#events.length };
    // One error line per outage; the retries that follow are debug.
    if (!this.#outage) this.#logger.error(fields, 'store write failed; keeping the data in memory and retrying');
    else this.#logger.debug(fields, 'store write failed again');
    this.#outage = true;
    try {
      this.#options.onFailure?.(kind, err);
    } catch (hookErr) {
      this.#logger.error({ err: describeError(hookErr) }, 'store failure handler threw');
    }
    this.#scheduleRetry();
  }

  #scheduleRetry(): void {
    if (this.#closed || this.#retry !== undefined) return;
    const delay = this.#retryDelay;
    this.#retryDelay = Math.min(delay * 2, this.#options.retryMaxMs ?? 30_000);
    this.#retry = this.#clock.setTimeout(() => {
      this.#retry = undefined;
      this.#attempt();
    }, delay);
  }

  #cancelRetry(): void {
    if (this.#retry !== undefined) this.#clock.clearTimeout(this.#retry);
    this.#retry = undefined;
  }

  /** The queue is empty again: reset the backoff and record what was dropped meanwhile. */
  #recovered(): void {
    this.#retryDelay = this.#options.retryInitialMs ?? 500;
    if (this.#outage) {
      this.#outage = false;
      this.#logger.info({ lastFault: this.#lastFault }, 'store writable again; queued records written');
    }
    const { readings, events } = this.#unrecorded;
    if (readings === 0 && events === 0) return;
    try {
      this.#sink.addCounters({ readings_dropped_in_memory: readings, events_dropped_in_memory: events });
      this.#unrecorded = { readings: 0, events: 0 };
    } catch {
      // Recorded with the next successful write.
    }
  }

  #trimReadings(): void {
    let excess = this.#queuedReadings - this.#maxReadings;
    if (excess <= 0) return;
    const before = excess;
    while (excess > 0) {
      const oldest = this.#batches[0];
      if (oldest === undefined) break;
      const n = Math.min(excess, oldest.length);
      oldest.splice(0, n);
      if (oldest.length === 0) this.#batches.shift();
      this.#queuedReadings -= n;
      excess -= n;
    }
    this.#drop('readings', before, 'the in-memory reading queue is full');
  }

  #drop(what: 'readings' | 'events', n: number, reason: string): void {
    const firstDrop = this.#stats.droppedReadings + this.#stats.droppedEvents === 0;
    if (what === 'readings') {
      this.#stats.droppedReadings += n;
      this.#unrecorded.readings += n;
    } else {
      this.#stats.droppedEvents += n;
      this.#unrecorded.events += n;
    }
    const level = what === 'events' || firstDrop ? 'error' : 'debug';
    this.#logger[level]({ what, dropped: n, reason, total: this.#stats }, `store dropped ${what}: ${reason}`);
  }
}
