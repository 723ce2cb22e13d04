import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { Logger } from '../../hardware/logger.js';
import { ManualClock } from '../../hardware/sim/manual-clock.js';
import type { ReadingItem, SeqRange } from './records.js';
import { StoreWriter, type EventItem, type WriteSink } from './store-writer.js';
import { gasEvent, reading } from './test-support/fixtures.js';

/** A sink that fails with `failure` while it is set, and records what it wrote, in order. */
class FakeSink implements WriteSink {
  failure: (Error & { code?: string }) | undefined;
  rejectValue: number | undefined;
  readonly written: string[] = [];
  readonly counters: Record<string, number> = {};
  #seq = 0;

  writeReadings(items: readonly ReadingItem[]): SeqRange {
    this.#maybeFail();
    if (items.some((i) => i.reading.value === this.rejectValue)) throw Object.assign(new Error('CHECK constraint failed'), { code: 'SQLITE_CONSTRAINT_CHECK' });
    const firstSeq = this.#seq + 1;
    for (const item of items) this.written.push(`r${item.reading.value}`);
    this.#seq += items.length;
    return { firstSeq, lastSeq: this.#seq };
  }

  writeEvent(item: EventItem): number {
    this.#maybeFail();
    this.written.push(`e:${item.event.message}`);
    return ++this.#seq;
  }

  addCounters(deltas: Readonly<Record<string, number>>): void {
    this.#maybeFail();
    for (const [k, v] of Object.entries(deltas)) this.counters[k] = (this.counters[k] ?? 0) + v;
  }

  #maybeFail(): void {
    if (this.failure !== undefined) throw this.failure;
  }
}

const full = (): Error & { code: string } => Object.assign(new Error('database or disk is full'), { code: 'SQLITE_FULL' });
const items = (...values: number[]): ReadingItem[] => values.map((value) => ({ reading: reading(value) }));
const event = (message: string, onCommitted?: (seq: number) => void): EventItem => ({
  event: gasEvent({ message }),
  ...(onCommitted !== undefined && { onCommitted }),
});

function recordingLogger(): Logger & { lines: string[] } {
  const lines: string[] = [];
  const log = (level: string) => (_: object, msg?: string) => void lines.push(`${level}: ${msg ?? ''}`);
  return { lines, debug: log('debug'), info: log('info'), warn: log('warn'), error: log('error') };
}

test('writes go straight through while the sink works', () => {
  const sink = new FakeSink();
  const committed: number[] = [];
  const writer = new StoreWriter(sink, { clock: new ManualClock() });
  writer.writeReadings(items(1, 2));
  writer.writeEvent(event('gas', (seq) => committed.push(seq)));
  assert.deepEqual(sink.written, ['r1', 'r2', 'e:gas']);
  assert.deepEqual(committed, [3]);
  assert.equal(writer.stats().state, 'ok');
});

test('a full disk never throws: data waits in memory, events first on retry, nothing twice', async () => {
  const sink = new FakeSink();
  const clock = new ManualClock();
  const logger = recordingLogger();
  const failures: string[] = [];
  const writer = new StoreWriter(sink, { clock, logger, onFailure: (kind) => failures.push(kind) });
  sink.failure = full();

  assert.doesNotThrow(() => writer.writeReadings(items(1, 2)));
  const committed: number[] = [];
  assert.doesNotThrow(() => writer.writeEvent(event('gas', (seq) => committed.push(seq))));
  writer.writeReadings(items(3));
  assert.deepEqual(writer.stats(), {
    ...writer.stats(),
    state: 'queueing', queuedReadings: 3, queuedEvents: 1, failures: 1,
  });
  assert.equal(writer.stats().lastFault?.code, 'SQLITE_FULL');
  assert.deepEqual(failures, ['unavailable']);
  assert.deepEqual(committed, []);

  await clock.advance(500); // first retry: still full
  assert.equal(writer.stats().failures, 2);
  sink.failure = undefined;
  await clock.advance(999);
  assert.deepEqual(sink.written, [], 'backoff doubled: 1 s after the second failure');
  await clock.advance(1);
  assert.deepEqual(sink.written, ['e:gas', 'r1', 'r2', 'r3']);
  assert.deepEqual(committed, [1]);
  assert.equal(writer.stats().state, 'ok');
  assert.equal(logger.lines.filter((l) => l.startsWith('error')).length, 1, 'one error line per outage');
  assert.ok(logger.lines.includes('info: store writable again; queued records written'));
  assert.equal(clock.pending, 0);
});

test('read-only, I/O errors and corruption are retried too', async () => {
  for (const code of ['SQLITE_READONLY', 'SQLITE_IOERR_WRITE', 'SQLITE_CORRUPT', 'ENOSPC']) {
    const sink = new FakeSink();
    const clock = new ManualClock();
    const writer = new StoreWriter(sink, { clock });
    sink.failure = Object.assign(new Error(code), { code });
    writer.writeEvent(event('x'));
    sink.failure = undefined;
    await clock.advance(500);
    assert.deepEqual(sink.written, ['e:x'], code);
  }
});

test('a batch the store refuses for what it is, is dropped and counted, not retried forever', () => {
  const sink = new FakeSink();
  sink.rejectValue = 2;
  const writer = new StoreWriter(sink, { clock: new ManualClock(), logger: recordingLogger() });
  writer.writeReadings(items(1, 2));
  writer.writeReadings(items(3));
  assert.deepEqual(sink.written, ['r3']);
  assert.equal(writer.stats().rejectedReadings, 2);
  assert.equal(writer.stats().state, 'ok');
});

test('reading overflow drops the oldest readings, is counted, logged and later written to the counters', async () => {
  const sink = new FakeSink();
  const clock = new ManualClock();
  const logger = recordingLogger();
  const writer = new StoreWriter(sink, { clock, logger, maxQueuedReadings: 4 });
  sink.failure = full();
  writer.writeReadings(items(1, 2, 3));
  writer.writeEvent(event('gas'));
  writer.writeReadings(items(4, 5, 6));
  assert.equal(writer.stats().queuedReadings, 4);
  assert.equal(writer.stats().droppedReadings, 2);
  assert.equal(writer.stats().queuedEvents, 1, 'readings never push out an event');
  assert.ok(logger.lines.some((l) => l.includes('store dropped readings')));
  sink.failure = undefined;
  await clock.advance(500);
  assert.deepEqual(sink.written, ['e:gas', 'r3', 'r4', 'r5', 'r6']);
  assert.deepEqual(sink.counters, { readings_dropped_in_memory: 2, events_dropped_in_memory: 0 });
});

test('event overflow drops the oldest event and tells its owner', () => {
  const sink = new FakeSink();
  const writer = new StoreWriter(sink, { clock: new ManualClock(), maxQueuedEvents: 2 });
  sink.failure = full();
  const dropped: string[] = [];
  for (const m of ['a', 'b', 'c']) writer.writeEvent({ event: gasEvent({ message: m }), onDropped: () => dropped.push(m) });
  assert.deepEqual(dropped, ['a']);
  assert.equal(writer.stats().droppedEvents, 1);
  assert.equal(writer.stats().queuedEvents, 2);
});

test('drain retries now, ignoring the backoff; close reports what is lost and stops the timer', () => {
  const sink = new FakeSink();
  const clock = new ManualClock();
  const writer = new StoreWriter(sink, { clock, logger: recordingLogger() });
  sink.failure = full();
  writer.writeReadings(items(1));
  assert.equal(writer.drain(), 1);
  sink.failure = undefined;
  assert.equal(writer.drain(), 0);
  assert.deepEqual(sink.written, ['r1']);

  sink.failure = full();
  writer.writeEvent(event('late'));
  assert.equal(writer.close(), 1);
  assert.equal(clock.pending, 0);
  const dropped: string[] = [];
  writer.writeEvent({ event: gasEvent(), onDropped: (why) => dropped.push(why) });
  assert.deepEqual(dropped, ['the store is closed']);
});

test('a throwing failure hook cannot break the writer', async () => {
  const sink = new FakeSink();
  const clock = new ManualClock();
  const writer = new StoreWriter(sink, {
    clock,
    logger: recordingLogger(),
    onFailure: () => {
      throw new Error('hook');
    },
  });
  sink.failure = full();
  assert.doesNotThrow(() => writer.writeEvent(event('x')));
  sink.failure = undefined;
  await clock.advance(500);
  assert.deepEqual(sink.written, ['e:x']);
});
