import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { systemClock } from '../clock.js';
import { openSerialPort } from '../linux/serialport-stream.js';
import type { SerialStream } from '../ports/serial.js';
import { seededRandom } from '../sim/random.js';
import { UltrasonicSim, type UltrasonicSimOptions } from '../sim/ultrasonic-sim.js';
import { createPtyPair, requireSocat, type PtyPair } from '../test-support/socat.js';
import { UltrasonicSensor } from './ultrasonic.js';
import { encodeFrame, type UltrasonicMode, type UltrasonicOutcome } from './ultrasonic-frame.js';

/**
 * The real-serial test: the emulator writes frames through the real serialport
 * on one end of a socat pty pair, the driver reads the other end through the
 * real serialport, on the system clock. Every wait is for an event, with a limit.
 */

const EVENT_LIMIT_MS = 10_000;

/** Resolves when `done()` turns true, checked on every outcome; rejects after the limit. */
function until(sensor: UltrasonicSensor, done: () => boolean, what: string): Promise<void> {
  return new Promise((resolve, reject) => {
    if (done()) {
      resolve();
      return;
    }
    const timer = setTimeout(() => {
      unsubscribe();
      reject(new Error(`timed out after ${EVENT_LIMIT_MS} ms waiting for ${what}`));
    }, EVENT_LIMIT_MS);
    const unsubscribe = sensor.onOutcome(() => {
      if (!done()) return;
      clearTimeout(timer);
      unsubscribe();
      resolve();
    });
  });
}

interface Line {
  readonly sensorPort: SerialStream;
  readonly sensor: UltrasonicSensor;
  readonly sim: UltrasonicSim;
  readonly outcomes: UltrasonicOutcome[];
  close(): Promise<void>;
}

async function connect(
  pair: PtyPair,
  mode: UltrasonicMode,
  sim: Omit<UltrasonicSimOptions, 'port' | 'model' | 'mode' | 'clock'>,
): Promise<Line> {
  const clock = systemClock();
  const model = 'JSN-SR04T';
  // The driver's end first, so it hears the very first frame.
  const piPort = await openSerialPort({ path: pair.b, baudRate: 9600 });
  const sensorPort = await openSerialPort({ path: pair.a, baudRate: 9600 });
  const sensor = new UltrasonicSensor({ port: piPort, model, mode, clock, timeoutMs: 2000, maxAgeMs: 150 });
  const outcomes: UltrasonicOutcome[] = [];
  sensor.onOutcome((o) => outcomes.push(o));
  const emulator = new UltrasonicSim({ port: sensorPort, model, mode, clock, ...sim });
  emulator.start();
  return {
    sensorPort,
    sensor,
    sim: emulator,
    outcomes,
    async close() {
      await emulator.stop();
      await sensor.close().catch(() => undefined);
      await sensorPort.close().catch(() => undefined);
    },
  };
}

const distanceOf = (o: UltrasonicOutcome): number | string => (o.ok ? o.value.distanceMm : o.fault.code);

test('ultrasonic sensor over a real pty pair and the real serialport', async (t) => {
  if (!requireSocat(t)) return;
  const dir = mkdtempSync(join(tmpdir(), 'easygas-pty-'));
  t.after(() => rmSync(dir, { recursive: true, force: true }));

  await t.test('streaming: readings match the emulated distance, 0xFF inside frames included', async () => {
    const pair = await createPtyPair(dir);
    let target = 1953;
    const line = await connect(pair, 'streaming', { periodMs: 20, distanceMm: () => target });
    try {
      await until(line.sensor, () => line.outcomes.length > 0, 'a first frame');
      assert.equal(distanceOf(await line.sensor.read()), 1953);
      for (const mm of [511, 767, 4336, 2500]) {
        target = mm;
        await until(line.sensor, () => line.outcomes.some((o) => distanceOf(o) === mm), `${mm} mm`);
        assert.equal(distanceOf(await line.sensor.read()), mm);
      }
      assert.deepEqual(Object.keys(line.sensor.counts()), ['ok'], 'nothing but good frames');
    } finally {
      await line.close();
      await pair.close();
    }
  });

  await t.test('streaming: faults injected by the emulator are classified and reconcile', async () => {
    const pair = await createPtyPair(dir);
    // Good readings, 0xFF inside frames, the blind zone and beyond the range, in turn.
    const levels = [1953, 511, 150, 3000, 6500, 767, 4336];
    let call = 0;
    const line = await connect(pair, 'streaming', {
      periodMs: 5,
      random: seededRandom(7),
      distanceMm: () => levels[call++ % levels.length]!,
      faults: { checksumRate: 0.08, noEchoRate: 0.08, garbageRate: 0.08, dropoutRate: 0.05, spikeRate: 0.05 },
    });
    try {
      await until(line.sensor, () => line.sim.counts().frames >= 300, '300 frames');
      await line.sim.stop();
      // Two clean frames after the noise, so the parser decides everything before them.
      await line.sensorPort.write(new Uint8Array([...encodeFrame(1000), ...encodeFrame(1001)]));
      const sent = line.sim.counts();
      const expected = sent.frames + 2;
      await until(line.sensor, () => line.outcomes.length >= expected, `${expected} outcomes`);
      for (const key of ['corrupted', 'noEcho', 'blindZone', 'outOfRange', 'spikes', 'dropouts', 'garbageBytes'] as const) {
        assert.ok(sent[key] > 0, `the emulator injected some ${key}: ${JSON.stringify(sent)}`);
      }
      const counts = line.sensor.counts();
      assert.equal(counts.ok, sent.valid + 2);
      assert.equal(counts.checksum, sent.corrupted);
      assert.equal(counts.no_echo, sent.noEcho);
      assert.equal(counts.blind_zone, sent.blindZone);
      assert.equal(counts.out_of_range, sent.outOfRange);
      assert.equal(line.sensor.discardedBytes, sent.garbageBytes + 4 * sent.corrupted);
    } finally {
      await line.close();
      await pair.close();
    }
  });

  await t.test('triggered: 0x55 crosses the pty to the emulator and each read gets its answer', async () => {
    const pair = await createPtyPair(dir);
    let target = 1200;
    const line = await connect(pair, 'triggered', { measuringMs: 30, distanceMm: () => target });
    try {
      for (const mm of [1200, 511, 3333, 767]) {
        target = mm;
        assert.equal(distanceOf(await line.sensor.read()), mm);
      }
      assert.equal(line.sim.counts().triggers, 4);
      assert.deepEqual(line.sensor.counts(), { ok: 4 });
    } finally {
      await line.close();
      await pair.close();
    }
  });

  await t.test('unplugging the line (socat gone) turns reads into an io fault', async () => {
    const pair = await createPtyPair(dir);
    const line = await connect(pair, 'triggered', { measuringMs: 30, distanceMm: () => 1500 });
    try {
      assert.equal(distanceOf(await line.sensor.read()), 1500);
      await pair.close();
      // serialport may notice at once or never (bindings-cpp#162); the presence check notices
      // within a second, well inside the read's 2 s timeout, and settles the waiting read.
      const outcome = await line.sensor.read();
      assert.equal(outcome.ok ? 'ok' : outcome.fault.code, 'io', outcome.ok ? '' : outcome.fault.message);
      const later = await line.sensor.read();
      assert.equal(later.ok ? 'ok' : later.fault.code, 'io', 'later reads get the same fault');
    } finally {
      await line.close();
    }
  });
});
