import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { Clock } from '../clock.js';
import { HardwareError } from '../fault.js';
import type { Logger } from '../logger.js';
import type { Level } from '../ports/digital.js';
import { ManualClock } from '../sim/manual-clock.js';
import { seededRandom } from '../sim/random.js';
import { SimGpio } from '../sim/sim-gpio.js';
import { blink, chirp, definePattern, steady, temporal3, temporal4, type OutputPattern } from './output-patterns.js';
import { PatternPlayer } from './pattern-player.js';

const BUZZER = 18;

async function setup(options: { activeLow?: boolean; logger?: Logger } = {}) {
  const clock = new ManualClock();
  const gpio = new SimGpio(clock);
  const output = await gpio.openOutput(BUZZER, { activeLow: options.activeLow ?? false });
  const player = new PatternPlayer(output, { clock, ...(options.logger ? { logger: options.logger } : {}) });
  /** Logical edges after opening: [ms, level]. */
  const edges = (): [number, Level][] =>
    gpio
      .history(BUZZER)
      .slice(1)
      .map((c): [number, Level] => [c.atMs, options.activeLow ? (c.level === 1 ? 0 : 1) : c.level]);
  return { clock, gpio, output, player, edges };
}

function errorLogger(): Logger & { errors: string[] } {
  const errors: string[] = [];
  const noop = (): void => undefined;
  return { errors, debug: noop, info: noop, warn: noop, error: (_o, msg) => errors.push(msg ?? '') };
}

/** Tracks whether a promise has settled, without awaiting it. */
function track(promise: Promise<unknown>): { settled: boolean } {
  const state = { settled: false };
  promise.then(
    () => (state.settled = true),
    () => (state.settled = true),
  );
  return state;
}

describe('PatternPlayer timing', () => {
  it('plays temporal-3 to the millisecond: 0, 500 … 2500, then the next cycle at 4000', async () => {
    const { clock, player, edges } = await setup();
    player.play(temporal3);
    assert.equal(player.current, 'temporal3');
    await clock.advance(8000);
    assert.deepEqual(edges(), [
      [0, 1], [500, 0], [1000, 1], [1500, 0], [2000, 1], [2500, 0],
      [4000, 1], [4500, 0], [5000, 1], [5500, 0], [6000, 1], [6500, 0],
      [8000, 1],
    ]);
  });

  it('plays temporal-4: 0, 100 … 700, then the next cycle at 5700', async () => {
    const { clock, player, edges } = await setup();
    player.play(temporal4);
    await clock.advance(5800);
    assert.deepEqual(edges(), [
      [0, 1], [100, 0], [200, 1], [300, 0], [400, 1], [500, 0], [600, 1], [700, 0],
      [5700, 1], [5800, 0],
    ]);
  });

  it('keeps exact time on an active-low buzzer (physical levels inverted)', async () => {
    const { clock, gpio, player, edges } = await setup({ activeLow: true });
    assert.equal(gpio.output(BUZZER), 1, 'opens silent: pin high');
    player.play(chirp({ beepMs: 100, periodMs: 1000 }));
    await clock.advance(2000);
    assert.deepEqual(edges(), [[0, 1], [100, 0], [1000, 1], [1100, 0], [2000, 1]]);
    await clock.run(player.stop());
    assert.equal(gpio.output(BUZZER), 1);
  });

  it('does not drift when every timer fires late', async () => {
    const clock = new ManualClock();
    const gpio = new SimGpio(clock);
    const late: Clock = {
      now: () => clock.now(),
      monotonic: () => clock.monotonic(),
      setTimeout: (fn, ms) => clock.setTimeout(fn, ms + 7),
      clearTimeout: (h) => clock.clearTimeout(h),
    };
    const player = new PatternPlayer(await gpio.openOutput(BUZZER), { clock: late });
    player.play(temporal3);
    await clock.advance(4100);
    assert.deepEqual(
      gpio.history(BUZZER).slice(1).map((c) => c.atMs),
      [0, 507, 1007, 1507, 2007, 2507, 4007],
    );
  });

  it('holds steady on with no timer, and ends a one-shot pattern off', async () => {
    const { clock, gpio, player } = await setup();
    player.play(steady);
    await clock.advance(0);
    assert.equal(gpio.output(BUZZER), 1);
    assert.equal(clock.pending, 0);
    player.play(definePattern('beep', [{ level: 1, ms: 200 }], false));
    await clock.advance(200);
    assert.equal(gpio.output(BUZZER), 0);
    assert.equal(player.current, undefined);
    assert.equal(clock.pending, 0);
  });
});

describe('PatternPlayer play and stop', () => {
  it('stop() in the middle of a beep leaves the output off and no timer', async () => {
    const { clock, gpio, player } = await setup();
    player.play(temporal3);
    await clock.advance(250);
    assert.equal(gpio.output(BUZZER), 1);
    await clock.run(player.stop());
    assert.equal(gpio.output(BUZZER), 0);
    assert.equal(player.current, undefined);
    assert.equal(clock.pending, 0);
    await clock.advance(10_000);
    assert.equal(gpio.output(BUZZER), 0);
  });

  it('play() replaces the pattern that plays: no overlap, no stray timer', async () => {
    const { clock, player, edges } = await setup();
    player.play(temporal3);
    await clock.advance(250);
    player.play(blink(50, 150));
    assert.equal(clock.pending, 1);
    await clock.advance(600);
    // temporal-3 would have switched at 500; blink runs from 250 on its own beat.
    assert.deepEqual(edges(), [[0, 1], [300, 0], [450, 1], [500, 0], [650, 1], [700, 0], [850, 1]]);
    assert.equal(player.current, 'blink(50,150)');
  });

  it('playing the pattern that already plays does not restart it', async () => {
    const { clock, player, edges } = await setup();
    player.play(temporal3);
    await clock.advance(400);
    player.play(temporal3);
    await clock.advance(200);
    assert.deepEqual(edges(), [[0, 1], [500, 0]]);
  });

  it('a rejecting write is counted and logged once, and the pattern keeps going', async () => {
    const logger = errorLogger();
    const { clock, gpio, player, edges } = await setup({ logger });
    gpio.failWrites(BUZZER, 2);
    player.play(temporal3);
    await clock.advance(2000);
    // The ON at 0 and the OFF at 500 failed; the ON at 1000 got through.
    assert.deepEqual(edges(), [[1000, 1], [1500, 0], [2000, 1]]);
    assert.deepEqual(player.counts(), { io: 2, ok: 3 });
    assert.equal(logger.errors.length, 1);
    assert.match(logger.errors[0] ?? '', /GPIO18/);
  });

  it('stop() racing a write in flight resolves only once OFF has landed', async () => {
    const { clock, gpio, player } = await setup();
    gpio.setWriteLatency(BUZZER, 50);
    player.play(temporal3);
    await clock.advance(10);
    const stopped = player.stop();
    const state = track(stopped);
    await clock.advance(40);
    assert.equal(gpio.output(BUZZER), 1, 'the ON write landed at 50');
    assert.equal(state.settled, false);
    await clock.advance(49);
    assert.equal(state.settled, false, 'OFF is still on its way');
    await clock.advance(1);
    await stopped;
    assert.equal(gpio.output(BUZZER), 0);
    assert.equal(clock.monotonic(), 100);
    assert.equal(clock.pending, 0);
  });

  it('stop() retries a failing OFF write', async () => {
    const { clock, gpio, player } = await setup();
    player.play(steady);
    await clock.advance(0);
    gpio.failWrites(BUZZER, 2);
    await clock.run(player.stop());
    assert.equal(gpio.output(BUZZER), 0);
    assert.equal(clock.monotonic(), 200, 'two retries, 100 ms apart');
  });

  it('stop() rejects when OFF cannot be written, and close() still releases the pin inactive', async () => {
    const { clock, gpio, player } = await setup();
    player.play(steady);
    await clock.advance(0);
    gpio.failWrites(BUZZER, 3);
    await assert.rejects(clock.run(player.stop()), (err: unknown) => {
      assert.ok(err instanceof HardwareError);
      assert.equal(err.code, 'io');
      assert.match(err.message, /could not switch GPIO18 off/);
      return true;
    });
    assert.equal(gpio.output(BUZZER), 1);
    await clock.run(player.close());
    assert.equal(gpio.output(BUZZER), 0);
    assert.equal(gpio.isOpen(BUZZER), false);
  });

  it('a play() during a pending stop() takes over', async () => {
    const { clock, gpio, player } = await setup();
    gpio.setWriteLatency(BUZZER, 50);
    player.play(temporal3);
    const stopped = player.stop();
    player.play(temporal4);
    await clock.run(stopped);
    await clock.advance(50);
    assert.equal(player.current, 'temporal4');
    assert.equal(gpio.output(BUZZER), 1);
  });

  it('close() stops, leaves the output off and closed, and refuses further play()', async () => {
    const { clock, gpio, player } = await setup({ activeLow: true });
    gpio.setWriteLatency(BUZZER, 20);
    player.play(temporal4);
    await clock.advance(10);
    await clock.run(player.close());
    assert.equal(gpio.output(BUZZER), 1, 'active-low: released high, silent');
    assert.equal(gpio.isOpen(BUZZER), false);
    assert.equal(clock.pending, 0);
    assert.throws(() => player.play(temporal3), { code: 'closed' });
    await player.close();
  });
});

describe('PatternPlayer under random interleavings', () => {
  const patterns: OutputPattern[] = [temporal3, temporal4, chirp({ periodMs: 2000 }), steady, blink(70, 30)];

  for (let seed = 1; seed <= 25; seed++) {
    it(`seed ${seed}: always ends off with no pending timer`, async () => {
      const random = seededRandom(seed);
      const pick = <T>(items: readonly T[]): T => items[Math.floor(random.next() * items.length)] as T;
      const activeLow = random.next() < 0.5;
      const { clock, gpio, player } = await setup({ activeLow });
      gpio.setWriteLatency(BUZZER, pick([0, 0, 3, 40, 150]));
      const stops: Promise<void>[] = [];
      for (let i = 0; i < 60; i++) {
        const r = random.next();
        if (r < 0.35) player.play(pick(patterns));
        else if (r < 0.6) stops.push(player.stop());
        else if (r < 0.65) gpio.failWrites(BUZZER, 1);
        else await clock.advance(Math.floor(random.next() * 700));
      }
      const final = player.stop();
      await clock.run(Promise.allSettled(stops));
      await clock.run(final);
      assert.equal(gpio.output(BUZZER), activeLow ? 1 : 0, 'silent');
      assert.equal(player.current, undefined);
      assert.equal(clock.pending, 0);
      await clock.advance(10_000);
      assert.equal(gpio.output(BUZZER), activeLow ? 1 : 0, 'still silent later');
    });
  }
});
