import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { seededRandom } from '../../hardware/sim/random.js';
import { assessSample, assessTime, initialHealthState, type HealthState, type SampleOutcome } from './health.js';
import type { HealthSpec } from './specs.js';
import type { RawSample, SampleFaultCode } from './types.js';

const spec: HealthSpec = {
  intervalMs: 1000,
  disconnectedAfterFaults: 2,
  staleAfterMs: 3000,
  disconnectedAfterMs: 10_000,
  validRange: { min: -5, max: 105 },
  stuckAfterMs: 60_000,
  stuckEpsilon: 0.001,
  noisyFraction: 0.2,
  noisyWindow: 20,
  warmupMs: 0,
};

const good = (mono: number, value = mono / 1000, warmingUp?: boolean): RawSample => ({
  sensorId: 's',
  at: 1_700_000_000_000 + mono,
  mono,
  clockSynced: true,
  value,
  ...(warmingUp !== undefined ? { warmingUp } : {}),
});

const fault = (mono: number, code: SampleFaultCode): RawSample => ({
  sensorId: 's',
  at: 1_700_000_000_000 + mono,
  mono,
  clockSynced: true,
  fault: { code, message: code },
});

/** Feeds samples and returns every health state after each. */
function feed(
  samples: readonly (RawSample | [RawSample, SampleOutcome])[],
  health: HealthSpec = spec,
  start: HealthState = initialHealthState(0),
): HealthState[] {
  let state = start;
  return samples.map((s) => {
    const [sample, outcome] = Array.isArray(s) ? s : [s, { value: s.value ?? 0 }];
    state = assessSample(health, Object.freeze(state), sample, outcome);
    return state;
  });
}

const last = (states: readonly HealthState[]): HealthState => states.at(-1) ?? assert.fail('no states');

describe('health', () => {
  it('is warming_up before the first sample and ok after a good one', () => {
    assert.equal(initialHealthState(0).health, 'warming_up');
    assert.equal(last(feed([good(1000)])).health, 'ok');
  });

  it('is warming_up inside warmupMs of the first sample, or while the source says so', () => {
    // (Stale/disconnected timing out of the way: these samples are sparse.)
    const warm: HealthSpec = { ...spec, warmupMs: 180_000, staleAfterMs: 1e9, disconnectedAfterMs: 1e9 };
    const states = feed([good(1000, 1), good(100_000, 2), good(181_000, 3), good(182_000, 4, true), good(183_000, 5)], warm);
    assert.deepEqual(
      states.map((s) => s.health),
      ['warming_up', 'warming_up', 'ok', 'warming_up', 'ok'],
    );
    // The warm-up also ends between samples.
    const lastWarm = last(feed([good(1000, 1), good(180_000, 2)], warm));
    assert.equal(lastWarm.health, 'warming_up');
    assert.equal(assessTime(warm, lastWarm, 181_500).health, 'ok');
  });

  it('an unplugged sensor is disconnected within two sample periods', () => {
    const states = feed([good(1000), good(2000), fault(3000, 'no_ack'), fault(4000, 'no_ack')]);
    assert.deepEqual(
      states.map((s) => s.health),
      ['ok', 'ok', 'ok', 'disconnected'],
    );
  });

  it('counts only consecutive connection faults, and a good value brings it back at once', () => {
    const codes: SampleFaultCode[] = ['missing', 'permission', 'no_ack', 'timeout', 'closed', 'busy', 'io'];
    for (const code of codes) {
      const states = feed([good(1000), fault(2000, code), good(3000), fault(4000, code), fault(5000, code), good(6000)]);
      assert.deepEqual(
        states.map((s) => s.health),
        ['ok', 'ok', 'ok', 'ok', 'disconnected', 'ok'],
        code,
      );
    }
  });

  it('goes stale, then disconnected, when nothing is heard (timeouts are not hearing)', () => {
    const afterGood = last(feed([good(1000)]));
    assert.equal(assessTime(spec, afterGood, 3999).health, 'ok');
    assert.equal(assessTime(spec, afterGood, 4000).health, 'stale');
    assert.equal(assessTime(spec, afterGood, 11_000).health, 'disconnected');
    // A sensor that never speaks at all goes stale from the start.
    assert.equal(assessTime(spec, initialHealthState(500), 3500).health, 'stale');
    // A single timeout after silence does not make it fresh again.
    const { disconnectedAfterFaults: _, ...rest } = spec;
    const patient: HealthSpec = { ...rest, disconnectedAfterFaults: 5 };
    const stale = assessTime(patient, afterGood, 5000);
    assert.equal(assessSample(patient, stale, fault(5500, 'timeout')).health, 'stale');
    // A good sample does.
    assert.equal(assessSample(patient, stale, good(5500)).health, 'ok');
  });

  it('time the process itself lost is not silence: no stale or disconnected for it', () => {
    const afterGood = last(feed([good(1000)]));
    const lostSince = (since: number): number => (since <= 1000 ? 2_500 : 0); // a 2.5 s pause after the last sample
    assert.equal(assessTime(spec, afterGood, 6000, lostSince).health, 'ok', '5 s quiet, 2.5 s of it the process paused');
    assert.equal(assessTime(spec, afterGood, 6500, lostSince).health, 'stale', "the sensor's own 3 s of silence still count");
    assert.equal(assessTime(spec, afterGood, 13_500, lostSince).health, 'disconnected');
  });

  it('range faults, refused conversions and values outside validRange are out_of_range until a good value', () => {
    for (const code of ['out_of_range', 'blind_zone', 'no_echo'] as const) {
      assert.deepEqual(
        feed([good(1000), fault(2000, code), good(3000)]).map((s) => s.health),
        ['ok', 'out_of_range', 'ok'],
        code,
      );
    }
    assert.deepEqual(
      feed([good(1000), [good(2000), { rangeError: true }], good(3000)]).map((s) => s.health),
      ['ok', 'out_of_range', 'ok'],
    );
    assert.deepEqual(
      feed([
        [good(1000), { value: 105 }],
        [good(2000), { value: 105.1 }],
        [good(3000), { value: -5.1 }],
        [good(4000), { value: -5 }],
      ]).map((s) => s.health),
      ['ok', 'out_of_range', 'out_of_range', 'ok'],
    );
  });

  it('a raw value that does not move for stuckAfterMs is stuck, until it moves', () => {
    const samples = Array.from({ length: 62 }, (_, i) => good(1000 + i * 1000, 42 + (i % 2) * 0.0005));
    const states = feed([...samples, good(63_000, 42.5)]);
    assert.equal(states[59]?.health, 'ok');
    assert.equal(states[60]?.health, 'stuck', '60 s after the value stopped moving');
    assert.equal(last(states).health, 'ok');
    // stuckAfterMs 0 never judges stuck.
    assert.equal(last(feed(samples, { ...spec, stuckAfterMs: 0 })).health, 'ok');
  });

  it('more than noisyFraction of the window spiky or garbled is noisy, until they leave the window', () => {
    // 5 bad of 20 = 25 % > 20 %.
    const samples: (RawSample | [RawSample, SampleOutcome])[] = [];
    let t = 0;
    for (const code of ['checksum', 'crc', 'suspect', 'malformed'] as const) samples.push(fault((t += 1000), code));
    samples.push(good((t += 1000)));
    assert.equal(last(feed(samples)).health, 'ok', '4 of 20 is not noisy');
    samples.push([good((t += 1000)), { rejected: true }]);
    const states = feed(samples);
    assert.equal(last(states).health, 'noisy');
    // 14 good samples keep all 5 bad ones in the window of 20; the 15th pushes one out.
    for (let i = 0; i < 14; i++) samples.push(good((t += 1000)));
    assert.equal(last(feed(samples)).health, 'noisy');
    samples.push(good(t + 1000));
    assert.equal(last(feed(samples)).health, 'ok');
  });

  it('precedence: disconnected over warming_up over out_of_range over stuck over noisy', () => {
    const warm: HealthSpec = { ...spec, warmupMs: 60_000 };
    assert.equal(last(feed([good(1000), fault(2000, 'timeout'), fault(3000, 'timeout')], warm)).health, 'disconnected');
    assert.equal(last(feed([good(1000), fault(2000, 'no_echo')], warm)).health, 'warming_up');
    const stuckAndOut = Array.from({ length: 70 }, (_, i): [RawSample, SampleOutcome] => [good(i * 1000, 1), { value: 200 }]);
    assert.equal(last(feed(stuckAndOut)).health, 'out_of_range');
    const noisyAndStuck: (RawSample | [RawSample, SampleOutcome])[] = Array.from({ length: 70 }, (_, i) =>
      i % 3 === 0 ? fault(i * 1000, 'checksum') : good(i * 1000, 1),
    );
    assert.equal(last(feed(noisyAndStuck)).health, 'stuck');
  });

  it('a sensor heard again after a disconnection warms up again (a replugged MQ-6 is cold)', () => {
    const warm: HealthSpec = { ...spec, warmupMs: 30_000, staleAfterMs: 1e9, disconnectedAfterMs: 1e9 };
    const states = feed([good(0), good(31_000), fault(32_000, 'missing'), fault(33_000, 'missing'), good(40_000), good(71_000)], warm);
    assert.deepEqual(
      states.map((s) => s.health),
      ['warming_up', 'ok', 'ok', 'disconnected', 'warming_up', 'ok'],
    );
  });

  it('a sensor silent for disconnectedAfterMs warms up again, even if no tick noticed', () => {
    const warm: HealthSpec = { ...spec, warmupMs: 30_000 };
    const every5s = (from: number, to: number): RawSample[] => Array.from({ length: (to - from) / 5000 + 1 }, (_, i) => good(from + i * 5000, 1 + i / 10));
    const states = feed([...every5s(0, 35_000), ...every5s(46_000, 81_000)], warm);
    const at = (mono: number): string | undefined => states.find((s) => s.lastHeardMono === mono)?.health;
    assert.deepEqual([at(25_000), at(30_000), at(35_000)], ['warming_up', 'ok', 'ok']);
    // 11 s of silence (disconnectedAfterMs is 10 s): cold again.
    assert.deepEqual([at(46_000), at(71_000), at(76_000)], ['warming_up', 'warming_up', 'ok']);
  });

  it('assessTime returns the same state when nothing changes', () => {
    const s = last(feed([good(1000)]));
    assert.equal(assessTime(spec, s, 1500), s);
  });

  it('random fault sequences never throw and always end ok after enough good samples (property)', () => {
    const random = seededRandom(5);
    const codes: SampleFaultCode[] = ['missing', 'no_ack', 'timeout', 'checksum', 'crc', 'no_echo', 'blind_zone', 'out_of_range', 'suspect', 'malformed', 'io'];
    for (let round = 0; round < 50; round++) {
      let state = initialHealthState(0);
      let t = 0;
      for (let i = 0; i < 100; i++) {
        t += 200 + random.next() * 5000;
        const code = codes[Math.floor(random.next() * codes.length)];
        const sample = random.next() < 0.4 && code !== undefined ? fault(t, code) : good(t, random.next() * 100);
        state = assessSample(spec, state, sample, { value: sample.value ?? 0 });
        state = assessTime(spec, state, t + random.next() * 20_000);
      }
      for (let i = 0; i < spec.noisyWindow; i++) state = assessSample(spec, state, good((t += 1000), i), { value: 50 });
      assert.equal(state.health, 'ok', `round ${round}`);
    }
  });
});
