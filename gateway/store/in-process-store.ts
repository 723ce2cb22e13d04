/**
 * The ReadingStore running on the caller's thread: the same StoreService the
 * worker hosts, without the thread. For tests, benchmarks and tools; the daemon
 * uses StoreClient so the alarm path never waits on the disk.
 */
import type { Reading } from '../pipeline/types.js';
import type {
  Backlog, EventQuery, OutboxLimits, OutboxRecord, ReadingQuery, StorableEvent, StoredEvent, StoredReading, StoreMetrics,
} from './records.js';
import type { ReadingStore, ReadingStoreStats } from './reading-store.js';
import { StoreService, type BackupResult, type FlushResult, type StoreServiceOptions } from './store-service.js';

export class InProcessStore implements ReadingStore {
  readonly service: StoreService;

  constructor(options: StoreServiceOptions) {
    this.service = new StoreService(options);
  }

  appendReading(reading: Reading): void {
    try {
      this.service.appendReading(reading);
    } catch {
      // Never into the caller's alarm path; the service counts and logs its own failures.
    }
  }

  recordEvent(event: StorableEvent, onCommitted?: (seq: number) => void): void {
    try {
      this.service.recordEvent(event, onCommitted !== undefined ? { onCommitted } : {});
    } catch {
      // As above.
    }
  }

  readingsFor(sensorId: string, query?: ReadingQuery): Promise<StoredReading[]> {
    return attempt(() => this.service.readingsFor(sensorId, query));
  }

  latestReadings(): Promise<StoredReading[]> {
    return attempt(() => this.service.latestReadings());
  }

  events(query?: EventQuery): Promise<StoredEvent[]> {
    return attempt(() => this.service.events(query));
  }

  outbox(afterSeq: number, limits?: OutboxLimits): Promise<OutboxRecord[]> {
    return attempt(() => this.service.outbox(afterSeq, limits));
  }

  ack(seq: number): Promise<number> {
    return attempt(() => this.service.ack(seq));
  }

  backlog(): Promise<Backlog> {
    return attempt(() => this.service.backlog());
  }

  stats(): Promise<ReadingStoreStats> {
    return attempt(() => this.service.stats());
  }

  metrics(): Promise<StoreMetrics> {
    return attempt(() => this.service.metrics());
  }

  flush(): Promise<FlushResult> {
    return attempt(() => this.service.flush());
  }

  backup(path: string): Promise<BackupResult> {
    return this.service.backup(path);
  }

  close(): Promise<FlushResult> {
    return attempt(() => this.service.close());
  }
}

function attempt<T>(fn: () => T): Promise<T> {
  try {
    return Promise.resolve(fn());
  } catch (err) {
    return Promise.reject(err instanceof Error ? err : new Error(String(err)));
  }
}
