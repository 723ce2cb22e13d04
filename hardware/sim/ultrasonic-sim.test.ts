import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
  TRIGGER_BYTE,
  ULTRASONIC_MODELS,
  UltrasonicFrameParser,
  type UltrasonicModelSpec,
  type UltrasonicOutcome,
} from '../drivers/ultrasonic-frame.js';
import { ManualClock } from './manual-clock.js';
import { createSerialPair, randomChunking } from './serial-pair.js';
import { seededRandom } from './random.js';
import { UltrasonicSim, type SentFrame, type UltrasonicSimOptions } from './ultrasonic-sim.js';

/** Every checksum-valid frame is 'ok' with its raw distance, so sent and received can be compared. */
const RAW: UltrasonicModelSpec = { ...ULTRASONIC_MODELS.A02YYUW, blindZoneMm: -1, maxRangeMm: 0xffff, noEchoMm: [] };

function setUp(options: Partial<UltrasonicSimOptions> & { seed?: number; parserSpec?: UltrasonicModelSpec } = {}) {
  const clock = new ManualClock();
  const [sensorEnd, piEnd] = createSerialPair('sim:sensor', 'sim:pi', {
    chunking: randomChunking(seededRandom(options.seed ?? 1), 5),
  });
  const sim = new UltrasonicSim({
    port: sensorEnd,
    model: 'A02YYUW',
    mode: 'streaming',
    clock,
    distanceMm: () => 1953,
    ...options,
  });
  const parser = new UltrasonicFrameParser({ model: options.parserSpec ?? sim.spec, source: piEnd.path });
  const outcomes: UltrasonicOutcome[] = [];
  piEnd.onData((chunk) => outcomes.push(...parser.push(chunk)));
  const sent: SentFrame[] = [];
  sim.onSent((frame) => sent.push(frame));
  sim.start();
  /** Stops the emulator and lets the last bytes arrive and be decided. */
  const finish = async (): Promise<void> => {
    await sim.stop();
    await clock.advance(0);
    outcomes.push(...parser.flush());
  };
  return { clock, sensorEnd, piEnd, sim, parser, outcomes, sent, finish };
}

const bytesOf = (frame: SentFrame): number[] => [...frame.bytes];

describe('UltrasonicSim', () => {
  it('streams one frame per period with the distance at that time', async () => {
    const t = setUp({ periodMs: 250, distanceMm: (now) => 1000 + ((now / 250) % 10) });
    await t.clock.advance(250 * 4);
    await t.finish();
    assert.equal(t.sent.length, 4);
    const values = t.outcomes.map((o) => (o.ok ? o.value.distanceMm : o.fault.code));
    assert.deepEqual(values, t.sent.map((f) => f.distanceMm));
    assert.deepEqual(new Set(values).size, 4, 'the distance follows the clock');
    assert.equal(t.clock.pending, 0, 'stop() leaves no timer behind');
  });

  it('puts 0xFF inside the data for 255, 511 and 767 mm, as the real sensor does', async () => {
    let target = 255;
    const t = setUp({ distanceMm: () => target });
    for (const mm of [255, 511, 767]) {
      target = mm;
      await t.clock.advance(100);
    }
    await t.finish();
    assert.deepEqual(t.sent.map(bytesOf), [
      [0xff, 0x00, 0xff, 0xfe],
      [0xff, 0x01, 0xff, 0xff],
      [0xff, 0x02, 0xff, 0x00],
    ]);
    assert.deepEqual(
      t.outcomes.map((o) => (o.ok ? o.value.distanceMm : o.fault.code)),
      [255, 511, 767],
    );
  });

  it('sends the blind distance when the surface is too close, 0 when nothing echoes, and far values as they are', async () => {
    const targets = [12, null, 5200, 30.4];
    let next = 0;
    const t = setUp({ distanceMm: () => (next < targets.length ? targets[next++]! : 1000) });
    await t.clock.advance(400);
    await t.finish();
    assert.deepEqual(t.sent.map((f) => [f.kind, f.distanceMm]), [
      ['blind_zone', 30],
      ['no_echo', 0],
      ['out_of_range', 5200],
      ['blind_zone', 30],
    ]);
    assert.deepEqual(
      t.outcomes.map((o) => (o.ok ? o.value.distanceMm : o.fault.code)),
      ['blind_zone', 'no_echo', 'out_of_range', 'blind_zone'],
    );
  });

  it('answers each 0x55 with one frame after the measuring time, and ignores other bytes', async () => {
    const t = setUp({ model: 'JSN-SR04T', mode: 'triggered', measuringMs: 40 });
    await t.piEnd.write(Uint8Array.of(0x00, TRIGGER_BYTE, 0x12, TRIGGER_BYTE));
    await t.clock.advance(39);
    assert.equal(t.sent.length, 0, 'not before the measurement is done');
    await t.clock.advance(1);
    assert.equal(t.sent.length, 2);
    await t.clock.advance(1000);
    await t.finish();
    assert.equal(t.sim.counts().triggers, 2);
    assert.equal(t.outcomes.filter((o) => o.ok).length, 2);
  });

  it('spikes move the reading by ±spikeMm and are counted', async () => {
    const t = setUp({ random: seededRandom(8), faults: { spikeRate: 1, spikeMm: 500 } });
    await t.clock.advance(100 * 50);
    await t.finish();
    assert.equal(t.sim.counts().spikes, 50);
    assert.ok(t.sent.every((f) => f.distanceMm === 1453 || f.distanceMm === 2453));
    assert.ok(t.sent.some((f) => f.distanceMm === 1453) && t.sent.some((f) => f.distanceMm === 2453));
  });

  it('injected faults reconcile exactly with what the parser counts, over thousands of frames', async () => {
    for (const seed of [1, 2, 3]) {
      let level = 2000;
      const random = seededRandom(100 + seed);
      const t = setUp({
        seed,
        random: seededRandom(seed),
        // A level that wanders through the whole range, blind zone and beyond included.
        distanceMm: () => (level = Math.min(5000, Math.max(0, level + (random.next() - 0.5) * 200))),
        faults: {
          spikeRate: 0.05,
          dropoutRate: 0.05,
          checksumRate: 0.05,
          garbageRate: 0.05,
          noEchoRate: 0.05,
        },
      });
      await t.clock.advance(100 * 5000);
      await t.finish();
      const sent = t.sim.counts();
      assert.equal(sent.frames + sent.dropouts, 5000);
      assert.equal(sent.frames, sent.valid + sent.blindZone + sent.noEcho + sent.outOfRange + sent.corrupted);
      for (const key of ['corrupted', 'spikes', 'dropouts', 'garbageBytes', 'noEcho', 'blindZone'] as const) {
        assert.ok(sent[key] > 0, `seed ${seed}: some ${key}`);
      }
      assert.deepEqual(
        t.parser.counts(),
        {
          ok: sent.valid,
          checksum: sent.corrupted,
          no_echo: sent.noEcho,
          blind_zone: sent.blindZone,
          ...(sent.outOfRange > 0 ? { out_of_range: sent.outOfRange } : {}),
        },
        `seed ${seed}`,
      );
      assert.equal(t.parser.discardedBytes, sent.garbageBytes + 4 * sent.corrupted, `seed ${seed}`);
    }
  });

  it('property: every good frame it sends is recovered, even through 0xFF-rich line noise', async () => {
    for (const seed of [1, 2, 3, 4]) {
      const random = seededRandom(200 + seed);
      let level = 1500;
      const t = setUp({
        seed,
        random: seededRandom(seed),
        parserSpec: RAW,
        garbageWithHeaderBytes: true,
        distanceMm: () => (level = Math.min(4400, Math.max(40, level + (random.next() - 0.5) * 400))),
        faults: { checksumRate: 0.05, garbageRate: 0.1, dropoutRate: 0.02, spikeRate: 0.02, noEchoRate: 0.02 },
      });
      await t.clock.advance(100 * 4000);
      await t.finish();
      const good = t.sent.filter((f) => f.kind !== 'corrupted').map((f) => f.distanceMm);
      const got = t.outcomes.flatMap((o) => (o.ok ? [o.value.distanceMm] : []));
      let g = 0;
      for (const [w, mm] of good.entries()) {
        while (g < got.length && got[g] !== mm) g++;
        assert.ok(g < got.length, `seed ${seed}: good frame #${w} (${mm} mm) was not recovered`);
        g++;
      }
      assert.ok(good.length > 3500, `seed ${seed}: ${good.length} good frames`);
    }
  });
});
