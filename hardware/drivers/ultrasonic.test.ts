import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { ManualClock } from '../sim/manual-clock.js';
import { createSerialPair, randomChunking, type SimSerialEnd } from '../sim/serial-pair.js';
import { seededRandom } from '../sim/random.js';
import { UltrasonicSim, type UltrasonicSimOptions } from '../sim/ultrasonic-sim.js';
import { UltrasonicSensor, type UltrasonicSensorOptions } from './ultrasonic.js';
import { TRIGGER_BYTE, encodeFrame, type UltrasonicOutcome } from './ultrasonic-frame.js';

interface Rig {
  readonly clock: ManualClock;
  readonly sensorEnd: SimSerialEnd;
  readonly piEnd: SimSerialEnd;
  readonly sensor: UltrasonicSensor;
  readonly sim: UltrasonicSim;
  /** The true distance the emulator sees; tests move it. */
  distance: number | null;
}

function rig(
  sensorOptions: Partial<UltrasonicSensorOptions> & Pick<UltrasonicSensorOptions, 'model' | 'mode'>,
  simOptions: Partial<UltrasonicSimOptions> = {},
): Rig {
  const clock = new ManualClock();
  const [sensorEnd, piEnd] = createSerialPair('sim:sensor', '/dev/ttyAMA0', {
    chunking: randomChunking(seededRandom(3), 3),
  });
  const state = { distance: 1953 as number | null };
  const sim = new UltrasonicSim({
    port: sensorEnd,
    model: sensorOptions.model,
    mode: sensorOptions.mode,
    clock,
    distanceMm: () => state.distance,
    ...simOptions,
  });
  const sensor = new UltrasonicSensor({ port: piEnd, clock, ...sensorOptions });
  sim.start();
  return Object.assign(state, { clock, sensorEnd, piEnd, sensor, sim });
}

const distanceOf = (outcome: UltrasonicOutcome): number => {
  assert.ok(outcome.ok, `expected a distance, got ${outcome.ok ? '' : `${outcome.fault.code}: ${outcome.fault.message}`}`);
  return outcome.value.distanceMm;
};

const faultOf = (outcome: UltrasonicOutcome) => {
  assert.ok(!outcome.ok, `expected a fault, got ${outcome.ok ? outcome.value.distanceMm : ''} mm`);
  return outcome.fault;
};

describe('UltrasonicSensor, streaming', () => {
  it('reads the emulated distance, including values with 0xFF inside the frame', async () => {
    const r = rig({ model: 'A02YYUW', mode: 'streaming' });
    assert.equal(distanceOf(await r.clock.run(r.sensor.read())), 1953);
    for (const mm of [255, 511, 767, 4336, 31]) {
      r.distance = mm;
      // Wait past maxAge so the read takes a fresh frame.
      await r.clock.advance(1001);
      assert.equal(distanceOf(await r.clock.run(r.sensor.read())), mm);
    }
  });

  it('answers from the newest frame within maxAge without waiting, and waits for the next one after', async () => {
    const r = rig({ model: 'A02YYUW', mode: 'streaming', maxAgeMs: 250 }, { periodMs: 200 });
    await r.clock.advance(200);
    assert.equal(distanceOf(await r.sensor.read()), 1953, 'no timer needed: the cached frame answers');
    r.distance = 2500;
    await r.sim.stop();
    await r.clock.advance(250);
    assert.equal(distanceOf(await r.sensor.read()), 1953, '250 ms old: still fresh');
    await r.clock.advance(1);
    const waiting = r.sensor.read();
    r.sim.start();
    const started = r.clock.monotonic();
    assert.equal(distanceOf(await r.clock.run(waiting)), 2500);
    assert.equal(r.clock.monotonic() - started, 200, 'answered by the next frame, one period later');
  });

  it('times out with the wiring hint when no frame comes, and counts it', async () => {
    const r = rig({ model: 'A02YYUW', mode: 'streaming', timeoutMs: 700 });
    await r.sim.stop();
    const started = r.clock.monotonic();
    const fault = faultOf(await r.clock.run(r.sensor.read()));
    assert.equal(fault.code, 'timeout');
    assert.equal(fault.message, 'no frames from /dev/ttyAMA0: check TX→RX wiring, 9600 baud, 3.3 V/5 V supply');
    assert.match(fault.hint ?? '', /GPIO15/);
    assert.equal(r.clock.monotonic() - started, 700);
    assert.equal(r.sensor.counts().timeout, 1);
  });

  it('reports blind zone and no echo as faults, and delivers every outcome to onOutcome', async () => {
    const r = rig({ model: 'JSN-SR04T', mode: 'streaming' });
    const seen: (number | string)[] = [];
    r.sensor.onOutcome((o) => seen.push(o.ok ? o.value.distanceMm : o.fault.code));
    r.distance = 150;
    // Reads fall between frames, after the 50 ms frame gap (no echo, FF 00 00 FF, waits for it).
    await r.clock.advance(150);
    assert.equal(faultOf(await r.sensor.read()).code, 'blind_zone');
    r.distance = null;
    await r.clock.advance(100);
    assert.equal(faultOf(await r.sensor.read()).code, 'no_echo');
    r.distance = 7000;
    await r.clock.advance(100);
    assert.equal(faultOf(await r.sensor.read()).code, 'out_of_range');
    r.distance = 3000;
    await r.clock.advance(100);
    assert.equal(distanceOf(await r.sensor.read()), 3000);
    assert.deepEqual(seen, ['blind_zone', 'no_echo', 'out_of_range', 3000]);
    assert.deepEqual(r.sensor.counts(), { blind_zone: 1, no_echo: 1, out_of_range: 1, ok: 1 });
  });

  it('keeps reading when an onOutcome listener throws', async () => {
    const r = rig({ model: 'A02YYUW', mode: 'streaming' });
    r.sensor.onOutcome(() => {
      throw new Error('listener bug');
    });
    assert.equal(distanceOf(await r.clock.run(r.sensor.read())), 1953);
    r.distance = 2000;
    await r.clock.advance(1100);
    assert.equal(distanceOf(await r.sensor.read()), 2000);
  });

  it('counts every outcome the emulator caused, faults included', async () => {
    const r = rig(
      { model: 'A02YYUW', mode: 'streaming' },
      { random: seededRandom(5), faults: { checksumRate: 0.1, noEchoRate: 0.1, garbageRate: 0.1, dropoutRate: 0.1 } },
    );
    await r.clock.advance(100 * 500);
    await r.sim.stop();
    await r.clock.advance(1000); // the frame-gap flush decides the last frame
    const sent = r.sim.counts();
    assert.ok(sent.corrupted > 10 && sent.noEcho > 10 && sent.dropouts > 10 && sent.garbageBytes > 10);
    assert.deepEqual(r.sensor.counts(), { ok: sent.valid, checksum: sent.corrupted, no_echo: sent.noEcho });
    assert.equal(r.sensor.discardedBytes, sent.garbageBytes + 4 * sent.corrupted);
  });

  it('returns the port fault to a waiting read and to every later read when the adapter is unplugged', async () => {
    const r = rig({ model: 'A02YYUW', mode: 'streaming' });
    assert.equal(distanceOf(await r.clock.run(r.sensor.read())), 1953);
    await r.sim.stop();
    await r.clock.advance(2000);
    const waiting = r.sensor.read();
    r.piEnd.disconnect();
    const fault = faultOf(await waiting);
    assert.equal(fault.code, 'io');
    assert.match(fault.message, /\/dev\/ttyAMA0/);
    assert.match(fault.hint ?? '', /USB unplugged/);
    assert.equal(faultOf(await r.sensor.read()).code, 'io', 'a later read gets the same fault at once');
    assert.equal(r.sensor.counts().io, 2);
    await r.sensor.close();
  });

  it('close() settles a pending read with closed and closes the port', async () => {
    const r = rig({ model: 'A02YYUW', mode: 'streaming' });
    await r.sim.stop();
    const waiting = r.sensor.read();
    await r.sensor.close();
    assert.equal(faultOf(await waiting).code, 'closed');
    assert.equal(r.piEnd.isOpen, false);
    assert.equal(faultOf(await r.sensor.read()).code, 'closed');
  });
});

describe('UltrasonicSensor, triggered (JSN-SR04T mode 3)', () => {
  it('writes 0x55 for each read and returns the answer, one measurement later', async () => {
    const r = rig({ model: 'JSN-SR04T', mode: 'triggered' }, { measuringMs: 60 });
    for (const mm of [1953, 511, 4336, 767]) {
      r.distance = mm;
      const started = r.clock.monotonic();
      assert.equal(distanceOf(await r.clock.run(r.sensor.read())), mm);
      const took = r.clock.monotonic() - started;
      // A frame with 0xFF inside is decided after the 50 ms frame gap.
      assert.ok(took === 60 || took === 110, `took ${took} ms`);
    }
    assert.equal(r.sim.counts().triggers, 4);
  });

  it('serialises concurrent reads: each gets its own trigger and answer', async () => {
    const r = rig({ model: 'JSN-SR04T', mode: 'triggered' });
    const reads = Promise.all([r.sensor.read(), r.sensor.read(), r.sensor.read()]);
    const results = await r.clock.run(reads);
    assert.deepEqual(results.map(distanceOf), [1953, 1953, 1953]);
    assert.equal(r.sim.counts().triggers, 3);
  });

  it('times out with the trigger hint when nothing answers', async () => {
    const r = rig({ model: 'JSN-SR04T', mode: 'triggered', timeoutMs: 300 });
    await r.sim.stop();
    const fault = faultOf(await r.clock.run(r.sensor.read()));
    assert.equal(fault.code, 'timeout');
    assert.match(fault.hint ?? '', /0x55 trigger within 300 ms/);
  });

  it('reports a corrupt answer as checksum, even one that leaves the parser waiting', async () => {
    const clock = new ManualClock();
    const [sensorEnd, piEnd] = createSerialPair();
    // FF 01 FF 00: a broken 511 mm answer; the 0xFF inside keeps it undecided until the line goes quiet.
    sensorEnd.onData((chunk) => {
      if (chunk.includes(TRIGGER_BYTE)) void sensorEnd.write(Uint8Array.of(0xff, 0x01, 0xff, 0x00));
    });
    const sensor = new UltrasonicSensor({ port: piEnd, model: 'JSN-SR04T', mode: 'triggered', clock });
    const fault = faultOf(await clock.run(sensor.read()));
    assert.equal(fault.code, 'checksum');
    assert.match(fault.message, /FF 01 FF 00, expected sum FF/);
    assert.ok(clock.monotonic() < 1000, 'decided by the frame gap, not the timeout');
  });

  it('a read on a port that failed to take the trigger returns the port fault', async () => {
    const r = rig({ model: 'JSN-SR04T', mode: 'triggered' });
    r.sensorEnd.disconnect();
    const fault = faultOf(await r.clock.run(r.sensor.read()));
    assert.equal(fault.code, 'io');
  });

  it('refuses a mode the model does not have', () => {
    const [, piEnd] = createSerialPair();
    assert.throws(
      () => new UltrasonicSensor({ port: piEnd, model: 'A02YYUW', mode: 'triggered', clock: new ManualClock() }),
      /A02YYUW has no triggered mode/,
    );
  });
});

describe('UltrasonicSensor, raw bytes', () => {
  it('ignores a partial frame left by a reconnect and reads the next whole one', async () => {
    const clock = new ManualClock();
    const [sensorEnd, piEnd] = createSerialPair();
    const sensor = new UltrasonicSensor({ port: piEnd, model: 'A02YYUW', mode: 'streaming', clock });
    const reading = sensor.read();
    await sensorEnd.write(encodeFrame(1953).subarray(2));
    await sensorEnd.write(encodeFrame(2222));
    assert.equal(distanceOf(await clock.run(reading)), 2222);
    assert.equal(sensor.discardedBytes, 2);
  });
});
