import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { blink, chirp, definePattern, steady, temporal3, temporal4, type OutputPattern } from './output-patterns.js';

const cycleMs = (p: OutputPattern): number => p.steps.reduce((sum, s) => sum + s.ms, 0);
const onMs = (p: OutputPattern): number[] => p.steps.filter((s) => s.level === 1).map((s) => s.ms);

describe('output patterns', () => {
  it('temporal3: three 500 ms beeps, 500 ms apart, 1.5 s pause, 4 s cycle', () => {
    assert.deepEqual(onMs(temporal3), [500, 500, 500]);
    assert.deepEqual(temporal3.steps.at(-1), { level: 0, ms: 1500 });
    assert.equal(cycleMs(temporal3), 4000);
    assert.equal(temporal3.repeat, true);
  });

  it('temporal4: four 100 ms beeps, 100 ms apart, 5 s pause', () => {
    assert.deepEqual(onMs(temporal4), [100, 100, 100, 100]);
    assert.deepEqual(temporal4.steps.at(-1), { level: 0, ms: 5000 });
    assert.equal(cycleMs(temporal4), 5700);
  });

  it('chirp: one short beep per period, 60 s by default', () => {
    assert.deepEqual(chirp().steps, [
      { level: 1, ms: 100 },
      { level: 0, ms: 59_900 },
    ]);
    assert.equal(cycleMs(chirp({ beepMs: 50, periodMs: 30_000 })), 30_000);
    assert.equal(chirp().name, 'chirp(100,60000)');
    assert.throws(() => chirp({ beepMs: 100, periodMs: 100 }), RangeError);
  });

  it('steady holds on; blink alternates', () => {
    assert.deepEqual(steady.steps, [{ level: 1, ms: Infinity }]);
    assert.equal(steady.repeat, false);
    assert.deepEqual(blink(200, 800).steps, [
      { level: 1, ms: 200 },
      { level: 0, ms: 800 },
    ]);
    assert.equal(blink(200, 800).name, 'blink(200,800)');
  });

  it('refuses patterns that cannot be played', () => {
    assert.throws(() => definePattern('empty', [], true), RangeError);
    assert.throws(() => definePattern('zero', [{ level: 1, ms: 0 }], true), RangeError);
    assert.throws(() => definePattern('nan', [{ level: 1, ms: Number.NaN }], false), RangeError);
    assert.throws(() => definePattern('forever', [{ level: 1, ms: Infinity }], true), RangeError);
    assert.throws(() => blink(0, 100), RangeError);
  });

  it('is frozen data', () => {
    assert.ok(Object.isFrozen(temporal3) && Object.isFrozen(temporal3.steps) && Object.isFrozen(temporal3.steps[0]));
  });
});
