import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { silentLogger } from '../../hardware/logger.js';
import { ManualClock } from '../../hardware/sim/manual-clock.js';
import type { RawSample } from '../pipeline/types.js';
import { BusPoller, type PolledSensor } from './bus-poller.js';
import type { SampleSource, SourceReading } from './sample-source.js';

/** A scripted source: answers from `next()`, records when it was read. */
function fakeSource(sensorId: string, next: () => Promise<SourceReading> | SourceReading, clock: ManualClock) {
  const readsAt: number[] = [];
  let push: ((r: SourceReading) => void) | undefined;
  const source: SampleSource = {
    sensorId,
    where: `fake ${sensorId}`,
    read: () => {
      readsAt.push(clock.monotonic());
      return Promise.resolve(next());
    },
    subscribe: (listener) => {
      push = listener;
      return () => (push = undefined);
    },
    close: () => Promise.resolve(),
  };
  return { source, readsAt, push: (r: SourceReading) => push?.(r) };
}

function poller(clock: ManualClock, sensors: PolledSensor[], samples: RawSample[], extra: Partial<ConstructorParameters<typeof BusPoller>[0]> = {}) {
  return new BusPoller({
    name: 'test-bus',
    clock,
    sensors,
    onSample: (s) => samples.push(s),
    clockSynced: () => true,
    logger: silentLogger,
    ...extra,
  });
}

describe('BusPoller', () => {
  it('reads every sensor on its own interval, one at a time, and stamps samples', async () => {
    const clock = new ManualClock();
    const samples: RawSample[] = [];
    const a = fakeSource('a', () => ({ value: 1 }), clock);
    const b = fakeSource('b', () => ({ value: 2, warmingUp: true }), clock);
    const p = poller(clock, [{ source: a.source, intervalMs: 1_000 }, { source: b.source, intervalMs: 3_000 }], samples);
    p.start();
    await clock.advance(6_000);
    await p.stop();
    assert.deepEqual(a.readsAt, [0, 1_000, 2_000, 3_000, 4_000, 5_000, 6_000]);
    assert.deepEqual(b.readsAt, [0, 3_000, 6_000]);
    const first = samples.find((s) => s.sensorId === 'b');
    assert.deepEqual(first, { sensorId: 'b', at: clock.now() - 6_000, mono: 0, clockSynced: true, value: 2, warmingUp: true });
  });

  it('turns a hung read into a timeout fault and never starts a second read on it', async () => {
    const clock = new ManualClock();
    const samples: RawSample[] = [];
    let release: ((r: SourceReading) => void) | undefined;
    const hung = fakeSource('hung', () => new Promise<SourceReading>((resolve) => (release = resolve)), clock);
    const p = poller(clock, [{ source: hung.source, intervalMs: 1_000, timeoutMs: 300 }], samples);
    p.start();
    await clock.advance(2_500);
    // Read once at 0, timed out at 300; at 1000 and 2000 (the interval grid) it is still
    // in flight → immediate timeouts without new reads.
    assert.deepEqual(hung.readsAt, [0]);
    assert.deepEqual(samples.map((s) => [s.mono, s.fault?.code]), [[300, 'timeout'], [1_000, 'timeout'], [2_000, 'timeout']]);
    release?.({ value: 5 });
    await clock.advance(1_000);
    assert.deepEqual(hung.readsAt, [0, 3_000]);
    await p.stop();
  });

  it('backs off a sensor that keeps failing, and returns to its interval when it answers', async () => {
    const clock = new ManualClock();
    const samples: RawSample[] = [];
    let healthy = false;
    const flaky = fakeSource('f', () => (healthy ? { value: 1 } : { fault: { code: 'no_ack', message: 'gone' } }), clock);
    const p = poller(clock, [{ source: flaky.source, intervalMs: 1_000 }], samples, { backoffAfterFaults: 2, maxBackoffMs: 8_000 });
    p.start();
    await clock.advance(30_000);
    // Faults 1 and 2 on the interval, then 2 s, 4 s, 8 s, 8 s …
    assert.deepEqual(flaky.readsAt.slice(0, 7), [0, 1_000, 2_000, 4_000, 8_000, 16_000, 24_000]);
    healthy = true;
    await clock.advance(8_000);
    const back = flaky.readsAt.length;
    await clock.advance(3_000);
    assert.equal(flaky.readsAt.length, back + 3);
    await p.stop();
  });

  it('passes pushed readings (a leak contact edge) through at once', async () => {
    const clock = new ManualClock();
    const samples: RawSample[] = [];
    const contact = fakeSource('leak', () => ({ value: 0 }), clock);
    const p = poller(clock, [{ source: contact.source, intervalMs: 10_000 }], samples);
    p.start();
    await clock.advance(1_234);
    contact.push({ value: 1 });
    assert.deepEqual(samples.map((s) => [s.mono, s.value]), [[0, 0], [1_234, 1]]);
    await p.stop();
    contact.push({ value: 0 });
    assert.equal(samples.length, 2, 'no samples after stop');
  });

  it('survives a consumer that throws and keeps polling', async () => {
    const clock = new ManualClock();
    const a = fakeSource('a', () => ({ value: 1 }), clock);
    let calls = 0;
    const p = new BusPoller({
      name: 'b',
      clock,
      sensors: [{ source: a.source, intervalMs: 100 }],
      onSample: () => {
        calls++;
        throw new Error('consumer bug');
      },
      clockSynced: () => false,
      logger: silentLogger,
    });
    p.start();
    await clock.advance(500);
    await p.stop();
    assert.equal(calls, 6);
    assert.ok(p.lastProgress >= 500);
  });

  it('reads on demand in the bus turn (readNow)', async () => {
    const clock = new ManualClock();
    const a = fakeSource('a', () => ({ value: 42 }), clock);
    const p = poller(clock, [{ source: a.source, intervalMs: 60_000 }], []);
    const sample = await p.readNow('a');
    assert.equal(sample?.value, 42);
    assert.equal(await p.readNow('nope'), undefined);
  });

  it('a live read that meets the poll of the same sensor shares its answer (not a timeout fault)', async () => {
    const clock = new ManualClock();
    const samples: RawSample[] = [];
    let release: ((r: SourceReading) => void) | undefined;
    const a = fakeSource('a', () => new Promise<SourceReading>((resolve) => (release = resolve)), clock);
    const p = poller(clock, [{ source: a.source, intervalMs: 60_000, timeoutMs: 1_000 }], samples);
    p.start();
    await clock.advance(0); // the poll is in flight
    assert.equal(a.readsAt.length, 1);
    const live = p.readNow('a');
    await clock.advance(100);
    release?.({ value: 7 });
    const sample = await live;
    assert.equal(sample?.value, 7, JSON.stringify(sample));
    assert.equal(sample?.fault, undefined);
    assert.equal(a.readsAt.length, 1, 'one read on the device, not two');
    await p.stop();
  });
});

describe('BusPoller liveness (the watchdog health check)', () => {
  it('is alive while waiting or inside a young read, and not when a read hangs past its timeout or the loop stopped', async () => {
    const clock = new ManualClock();
    let hang = false;
    const source = fakeSource('a', () => (hang ? new Promise<SourceReading>(() => undefined) : { value: 1 }), clock);
    const p = poller(clock, [{ source: source.source, intervalMs: 1_000, timeoutMs: 500 }], []);
    assert.equal(p.isAlive(), false, 'not started');
    p.start();
    await clock.advance(2_500);
    assert.equal(p.isAlive(100), true, 'waiting for the next read');
    hang = true;
    await clock.advance(500); // the read at 3000 starts and never returns: the poller times it out
    assert.equal(p.isAlive(100), true, 'inside a read younger than its timeout');
    await clock.advance(1_000);
    assert.equal(p.isAlive(100), true, 'the hung read was timed out and the loop went on');
    await clock.run(p.stop());
    assert.equal(p.isAlive(), false, 'stopped');
  });

  it('reports dead when a due read is not served (the loop is stuck)', async () => {
    const clock = new ManualClock();
    // A loop that lost its timer (the bug the watchdog exists for): time passes, nothing runs.
    let dropTimers = false;
    const lossy = {
      now: () => clock.now(),
      monotonic: () => clock.monotonic(),
      setTimeout: (fn: () => void, ms: number) => clock.setTimeout(() => (dropTimers ? undefined : fn()), ms),
      clearTimeout: (h: ReturnType<ManualClock['setTimeout']>) => clock.clearTimeout(h),
    };
    const source = fakeSource('a', () => ({ value: 1 }), clock);
    const p = new BusPoller({ name: 'b', clock: lossy, sensors: [{ source: source.source, intervalMs: 1_000 }], onSample: () => undefined, clockSynced: () => true, logger: silentLogger });
    p.start();
    await clock.advance(1_500);
    assert.equal(p.isAlive(2_000), true);
    dropTimers = true;
    await clock.advance(2_000);
    assert.equal(p.isAlive(2_000), true, 'the read due at 2000 is late, but within the slack');
    await clock.advance(1_000);
    assert.equal(p.isAlive(2_000), false, 'the read due at 2000 is 2.5 s overdue: stuck');
  });
});
