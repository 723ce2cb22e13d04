/**
 * The store seen from the main thread: the database lives in a worker_thread
 * (store-worker.ts), so a slow or failing SD card never stalls the alarm path.
 * appendReading and recordEvent post a message and return; queries are promises.
 *
 * Worker death is detected, logged and the worker restarted with backoff. Every
 * write message carries a ref (increasing per client session) and stays in a resend
 * buffer until the worker acknowledges it as committed; after a restart the buffer
 * is resent. No double inserts: the worker commits, in the same transaction as the
 * rows, the highest reading ref of this session (readings commit in ref order), and
 * each event with its (session, ref) under a unique index, so a resent message that
 * had committed before the crash is recognised and only acknowledged again.
 */
import { randomUUID } from 'node:crypto';
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { Worker } from 'node:worker_threads';
import { systemClock, type Clock, type TimerHandle } from '../../hardware/clock.js';
import { silentLogger, type Logger } from '../../hardware/logger.js';
import type { Reading } from '../pipeline/types.js';
import type { ReadingStore, ReadingStoreStats, WorkerStats } from './reading-store.js';
import type {
  Backlog, EventQuery, OutboxLimits, OutboxRecord, ReadingQuery, StorableEvent, StoredEvent, StoredReading, StoreMetrics,
} from './records.js';
import { RefQueue } from './ref-queue.js';
import type { BackupResult, FlushResult, StoreConfig } from './store-service.js';
import {
  StoreRequestError, type FromWorker, type RequestMethod, type StoreWorkerData, type ToWorker,
} from './worker-protocol.js';

export interface StoreClientOptions {
  readonly dataDir: string;
  readonly config?: StoreConfig;
  readonly logger?: Logger;
  /** For restart backoff and request timeouts. Default: the system clock. */
  readonly clock?: Clock;
  /** A query that gets no answer in this time rejects. Default 30 s. */
  readonly requestTimeoutMs?: number;
  /** Unacknowledged readings kept for resending after a worker crash. Default 20 000. */
  readonly maxResendReadings?: number;
  /** Restart delay after a crash, doubling up to the max. Defaults 250 ms and 30 s. */
  readonly restartInitialMs?: number;
  readonly restartMaxMs?: number;
  /** The worker script; default store-worker.ts/.js beside this file. */
  readonly workerUrl?: URL;
}

/** store-worker beside this module: .ts under tsx (tests), .js in dist/, whichever exists. */
export function storeWorkerUrl(from: string = import.meta.url): URL {
  const order = from.endsWith('.ts') ? ['.ts', '.js'] : ['.js', '.ts'];
  for (const ext of order) {
    const url = new URL(`./store-worker${ext}`, from);
    if (existsSync(fileURLToPath(url))) return url;
  }
  throw new Error(`store-worker.ts/.js not found beside ${fileURLToPath(from)}`);
}

interface PendingEvent {
  readonly event: StorableEvent;
  readonly onCommitted?: (seq: number) => void;
}

interface PendingRequest {
  readonly method: RequestMethod;
  readonly args: readonly unknown[];
  readonly resolve: (value: unknown) => void;
  readonly reject: (err: Error) => void;
  readonly timer: TimerHandle;
}

/** Uptime after which a crash counts as new, not part of a crash loop. */
const STABLE_UPTIME_MS = 60_000;

export class StoreClient implements ReadingStore {
  readonly session = randomUUID();
  readonly #options: StoreClientOptions;
  readonly #clock: Clock;
  readonly #logger: Logger;
  readonly #url: URL;
  #worker: Worker | undefined;
  #exited: Promise<void> = Promise.resolve();
  #startedAt = 0;
  #nextRef = 0;
  #nextRequest = 0;
  /** Unacknowledged readings, in ref order. */
  readonly #readings = new RefQueue<{ readonly ref: number; readonly reading: Reading }>();
  readonly #events = new Map<number, PendingEvent>();
  readonly #requests = new Map<number, PendingRequest>();
  #restartTimer: TimerHandle | undefined;
  #restartDelay: number;
  #closing: Promise<FlushResult> | undefined;
  #closed = false;
  #firstReady: () => void = () => undefined;
  readonly #ready: Promise<void>;
  #stats = { restarts: 0, resendOverflow: 0, droppedAfterClose: 0, lastExit: undefined as string | undefined };

  constructor(options: StoreClientOptions) {
    this.#options = options;
    this.#clock = options.clock ?? systemClock();
    this.#logger = options.logger ?? silentLogger;
    this.#url = options.workerUrl ?? storeWorkerUrl();
    this.#restartDelay = options.restartInitialMs ?? 250;
    this.#ready = new Promise((resolve) => (this.#firstReady = resolve));
    this.#spawn();
  }

  /** Resolves once the first worker is up (its database opened, or its open failure logged). */
  ready(): Promise<void> {
    return this.#ready;
  }

  appendReading(reading: Reading): void {
    if (this.#closed) {
      this.#droppedAfterClose();
      return;
    }
    const ref = ++this.#nextRef;
    this.#readings.push({ ref, reading });
    this.#stats.resendOverflow += this.#readings.trimTo(this.#options.maxResendReadings ?? 20_000);
    this.#post({ type: 'reading', ref, reading });
  }

  recordEvent(event: StorableEvent, onCommitted?: (seq: number) => void): void {
    if (this.#closed) {
      this.#droppedAfterClose();
      return;
    }
    const ref = ++this.#nextRef;
    this.#events.set(ref, onCommitted !== undefined ? { event, onCommitted } : { event });
    this.#post({ type: 'event', ref, event });
  }

  readingsFor(sensorId: string, query?: ReadingQuery): Promise<StoredReading[]> {
    return this.#request('readingsFor', [sensorId, query]);
  }

  latestReadings(): Promise<StoredReading[]> {
    return this.#request('latestReadings', []);
  }

  events(query?: EventQuery): Promise<StoredEvent[]> {
    return this.#request('events', [query]);
  }

  outbox(afterSeq: number, limits?: OutboxLimits): Promise<OutboxRecord[]> {
    return this.#request('outbox', [afterSeq, limits]);
  }

  ack(seq: number): Promise<number> {
    return this.#request('ack', [seq]);
  }

  backlog(): Promise<Backlog> {
    return this.#request('backlog', []);
  }

  async stats(): Promise<ReadingStoreStats> {
    const stats = await this.#request<ReadingStoreStats>('stats', []);
    return { ...stats, worker: this.workerStats() };
  }

  async metrics(): Promise<StoreMetrics> {
    const metrics = await this.#request<StoreMetrics>('metrics', []);
    return { ...metrics, workerRestarts: this.#stats.restarts };
  }

  workerStats(): WorkerStats {
    return {
      restarts: this.#stats.restarts,
      running: this.#worker !== undefined,
      unacknowledgedReadings: this.#readings.length,
      unacknowledgedEvents: this.#events.size,
      resendOverflow: this.#stats.resendOverflow,
      ...(this.#stats.lastExit !== undefined && { lastExit: this.#stats.lastExit }),
    };
  }

  backup(path: string): Promise<BackupResult> {
    return this.#request('backup', [path]);
  }

  flush(): Promise<FlushResult> {
    return this.#request('flush', []);
  }

  /** Flushes and closes the database, then lets the worker end. */
  close(): Promise<FlushResult> {
    this.#closing ??= this.#close();
    return this.#closing;
  }

  /** Terminates the worker as a crash would (tests, fault drills); the client restarts it and resends. */
  async killWorker(): Promise<void> {
    await this.#worker?.terminate();
  }

  async #close(): Promise<FlushResult> {
    let result: FlushResult;
    try {
      result = await this.#request<FlushResult>('close', []);
    } catch (err) {
      this.#logger.error({ err: String(err) }, 'store worker did not close cleanly');
      result = { pending: this.#readings.length + this.#events.size };
    }
    this.#closed = true;
    if (this.#restartTimer !== undefined) this.#clock.clearTimeout(this.#restartTimer);
    const worker = this.#worker;
    if (worker !== undefined) {
      // The worker ends by itself once its port is closed; a stuck one is terminated.
      const timer = this.#clock.setTimeout(() => void worker.terminate(), 5000);
      await this.#exited;
      this.#clock.clearTimeout(timer);
    }
    for (const [id, pending] of this.#requests) {
      this.#clock.clearTimeout(pending.timer);
      pending.reject(new Error(`store is closed; ${pending.method} not answered`));
      this.#requests.delete(id);
    }
    return result;
  }

  #spawn(): void {
    const data: StoreWorkerData = { dataDir: this.#options.dataDir, session: this.session, config: this.#options.config ?? {} };
    this.#startedAt = this.#clock.monotonic();
    let worker: Worker;
    try {
      worker = createWorker(this.#url, data);
    } catch (err) {
      this.#logger.error({ err: String(err) }, 'store worker could not be started');
      this.#scheduleRestart(-1);
      return;
    }
    this.#worker = worker;
    worker.on('message', (message: FromWorker) => this.#onMessage(message));
    worker.on('error', (err) => this.#logger.error({ err: err.message, stack: err.stack }, 'store worker crashed'));
    this.#exited = new Promise((resolve) =>
      worker.once('exit', (code) => {
        this.#onExit(worker, code);
        resolve();
      }),
    );
    // Everything not yet acknowledged goes (again) to the new worker, in the original order.
    const resend: ToWorker[] = [
      ...this.#readings.toArray().map(({ ref, reading }): ToWorker => ({ type: 'reading', ref, reading })),
      ...[...this.#events].map(([ref, { event }]): ToWorker => ({ type: 'event', ref, event })),
    ].sort((a, b) => refOf(a) - refOf(b));
    for (const message of resend) this.#post(message);
    for (const [id, { method, args }] of this.#requests) this.#post({ type: 'request', id, method, args });
  }

  #onExit(worker: Worker, code: number): void {
    if (this.#worker !== worker) return;
    this.#worker = undefined;
    // An exit after the close was answered is the normal end; one before it is a crash to recover from.
    if (this.#closed || (this.#closing !== undefined && this.#requests.size === 0)) return;
    this.#scheduleRestart(code);
  }

  #scheduleRestart(code: number): void {
    const uptime = this.#clock.monotonic() - this.#startedAt;
    if (uptime > STABLE_UPTIME_MS) this.#restartDelay = this.#options.restartInitialMs ?? 250;
    const delay = this.#restartDelay;
    this.#restartDelay = Math.min(delay * 2, this.#options.restartMaxMs ?? 30_000);
    this.#stats.restarts++;
    this.#stats.lastExit = `exit code ${code} after ${Math.round(uptime)} ms`;
    this.#logger.error(
      { code, uptimeMs: Math.round(uptime), restartInMs: delay, unacknowledgedReadings: this.#readings.length,
        unacknowledgedEvents: this.#events.size },
      'store worker exited; restarting it and resending what it had not committed',
    );
    this.#restartTimer = this.#clock.setTimeout(() => {
      this.#restartTimer = undefined;
      if (!this.#closed) this.#spawn();
    }, delay);
  }

  #onMessage(message: FromWorker): void {
    switch (message.type) {
      case 'ready':
        this.#firstReady();
        return;
      case 'readings-committed':
        this.#readings.dropThrough(message.through);
        return;
      case 'event-committed': {
        const pending = this.#events.get(message.ref);
        this.#events.delete(message.ref);
        try {
          pending?.onCommitted?.(message.seq);
        } catch (err) {
          this.#logger.error({ err: String(err) }, 'event commit callback threw');
        }
        return;
      }
      case 'event-dropped':
        this.#events.delete(message.ref);
        this.#logger.error({ ref: message.ref, reason: message.reason }, 'store gave up an event');
        return;
      case 'response': {
        const pending = this.#requests.get(message.id);
        if (pending === undefined) return;
        this.#requests.delete(message.id);
        this.#clock.clearTimeout(pending.timer);
        if (message.ok) pending.resolve(message.value);
        else pending.reject(new StoreRequestError(message.error));
        return;
      }
      case 'log':
        this.#logger[message.level]({ component: 'store', ...message.fields }, message.msg);
        return;
    }
  }

  #request<T>(method: RequestMethod, args: readonly unknown[]): Promise<T> {
    if (this.#closed) return Promise.reject(new Error(`store is closed; cannot ${method}`));
    return new Promise<T>((resolve, reject) => {
      const id = ++this.#nextRequest;
      const timeoutMs = this.#options.requestTimeoutMs ?? 30_000;
      const timer = this.#clock.setTimeout(() => {
        this.#requests.delete(id);
        reject(new Error(`store ${method} got no answer within ${timeoutMs} ms (worker ${this.#worker ? 'busy' : 'down'})`));
      }, timeoutMs);
      this.#requests.set(id, { method, args, resolve: resolve as (value: unknown) => void, reject, timer });
      this.#post({ type: 'request', id, method, args });
    });
  }

  /** Posts to the current worker; with none (restarting) the message waits in the resend buffers. */
  #post(message: ToWorker): void {
    try {
      this.#worker?.postMessage(message);
    } catch (err) {
      // A value that cannot be cloned: drop this one message rather than throw into the caller.
      this.#logger.error({ err: String(err), type: message.type }, 'store message could not be posted');
      if (message.type === 'event') this.#events.delete(message.ref);
      if (message.type === 'reading') this.#readings.remove(message.ref);
    }
  }

  #droppedAfterClose(): void {
    if (this.#stats.droppedAfterClose++ === 0) this.#logger.warn({}, 'store is closed; dropping later writes');
  }
}

/**
 * A .js worker starts directly. A .ts worker (tests and dev runs under tsx) needs
 * tsx's loader inside the thread: on Node 20, loader hooks do not reach workers and
 * tsx registers itself on the main thread only, so a bootstrap registers it first.
 */
function createWorker(url: URL, workerData: StoreWorkerData): Worker {
  // The worker only moves rows: a small young generation keeps its RSS down (scripts/bench/simulate-rss.ts).
  const resourceLimits = { maxYoungGenerationSizeMb: 3 };
  if (!url.pathname.endsWith('.ts')) return new Worker(url, { workerData, resourceLimits });
  const tsx = import.meta.resolve('tsx/esm/api');
  const bootstrap = `import(${JSON.stringify(tsx)}).then((tsx) => { tsx.register(); return import(${JSON.stringify(url.href)}); })`;
  return new Worker(bootstrap, { eval: true, workerData, resourceLimits });
}

function refOf(message: ToWorker): number {
  return message.type === 'request' ? 0 : message.ref;
}
