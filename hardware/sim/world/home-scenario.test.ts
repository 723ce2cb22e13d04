import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { MS_PER_DAY, MS_PER_HOUR, MS_PER_MINUTE, nthLocalOccurrence } from './daily-profile.js';
import { trueSenderVolts } from './float-gauge.js';
import { PROPANE_LEL_PPM } from './gas-leak.js';
import { DEFAULT_HOME_SCENARIO, createHomeWorld, resolveHomeScenario } from './home-scenario.js';
import type { HomeWorld, HomeWorldOptions } from './home-scenario.js';

const START = Date.UTC(2026, 0, 1, 3, 0); // 08:30 in India

function world(options: Partial<HomeWorldOptions> = {}): HomeWorld {
  return createHomeWorld({ seed: 2026, startMs: START, utcOffsetMinutes: 330, ...options });
}

/** The story counts occurrences of an hour from the start; START is 08:30 local. */
function storyTime(day: number, hour: number, utcOffsetMinutes = 330): number {
  return nthLocalOccurrence(START, day, hour, utcOffsetMinutes);
}

describe('the default home story', () => {
  it('runs the LPG cylinder low within two days and refills it two days after the order', () => {
    const w = world();
    let orderedAt: number | null = null;
    let lowest = 100;
    for (let t = START; t <= START + 5 * MS_PER_DAY; t += 10 * MS_PER_MINUTE) {
      w.advanceTo(t);
      const s = w.lpgCylinder.state;
      if (s.refills === 0) lowest = Math.min(lowest, s.percentOfFill);
      if (orderedAt === null && s.deliveryDueAt !== null) orderedAt = t;
    }
    assert.ok(orderedAt !== null && orderedAt < START + 2 * MS_PER_DAY, 'ordered within two days');
    assert.ok(lowest <= 20 && lowest > 0, `lowest ${lowest}%`);
    const s = w.lpgCylinder.state;
    assert.equal(s.refills, 1);
    assert.ok(s.lastRefillAt !== null && s.lastRefillAt - orderedAt < 2 * MS_PER_DAY + 10 * MS_PER_MINUTE);
    assert.ok(s.percentOfFill > 90);
  });

  it('shows the cylinder on the gauge sender: a low level high on the dial voltage, full near 0.39 V', () => {
    const w = world();
    const before = w.lpgGaugeVoltsAt(START + MS_PER_HOUR);
    const expected = trueSenderVolts(w.lpgCylinder.state.percentOfFill / 100, w.lpgGauge.mapping);
    assert.ok(Math.abs(before - expected) < 0.01, `${before} vs ${expected}`);
    w.advanceTo(START + 5 * MS_PER_DAY);
    const refilledAt = w.lpgCylinder.state.lastRefillAt;
    assert.ok(refilledAt !== null);
    const full = world().lpgGaugeVoltsAt(refilledAt); // a fresh world, as time never runs backwards
    assert.ok(Math.abs(full - w.lpgGauge.mapping.fullVolts) < 0.01, `after refill ${full}`);
  });

  it('leaks gas on day 1 at 19:30: alarm level within 10 minutes, clear after airing', () => {
    const w = world();
    const leakAt = storyTime(1, 19.5);
    const peak = w.gasLeak.ppmAt(leakAt + 10 * MS_PER_MINUTE);
    assert.ok(peak > 0.25 * PROPANE_LEL_PPM, `peak ${peak} ppm`);
    assert.ok(w.gasLeak.ppmAt(leakAt + 50 * MS_PER_MINUTE) < 0.1 * PROPANE_LEL_PPM);
    assert.equal(world().gasLeak.ppmAt(leakAt), DEFAULT_HOME_SCENARIO.kitchen.backgroundPpm, 'nothing before');
  });

  it('leaks from the water tank on night 2 only, with no household draw meanwhile', () => {
    const w = world();
    const from = storyTime(2, 1); // the second 01:00 after the start
    const until = storyTime(2, 5);
    for (let t = START; t <= START + 4 * MS_PER_DAY; t += 15 * MS_PER_MINUTE) {
      w.advanceTo(t);
      assert.equal(w.waterTank.state.leaking, t >= from && t < until, new Date(t).toISOString());
      if (t >= from && t < until) assert.equal(w.waterTank.draw.rateAt(t), 0);
    }
    assert.equal(w.waterTank.state.leakedLitres, 32);
  });

  it('wets the under-sink contact on day 3 at 07:15 for 40 minutes, then it dries flickering', () => {
    const w = world();
    const wetAt = storyTime(3, 7.25);
    assert.equal(w.underSinkLeak.wetAt(wetAt - 1), false);
    assert.equal(w.underSinkLeak.wetAt(wetAt), true);
    assert.equal(w.underSinkLeak.wetAt(wetAt + 39 * MS_PER_MINUTE), true);
    assert.equal(w.underSinkLeak.wetAt(wetAt + 44 * MS_PER_MINUTE), false);
    assert.equal(w.underSinkLeak.wetAt(storyTime(2, 7.25)), false);
  });

  it('places the story in local time for any offset, never before the start', () => {
    const offset = -300; // START is 22:00 on 31 December there: day 1's 19:30 is the next evening
    const w = world({ utcOffsetMinutes: offset });
    const leakAt = storyTime(1, 19.5, offset);
    assert.equal(new Date(leakAt).toISOString(), '2026-01-02T00:30:00.000Z');
    assert.equal(w.gasLeak.ppmAt(leakAt - 1), DEFAULT_HOME_SCENARIO.kitchen.backgroundPpm);
    assert.ok(w.gasLeak.ppmAt(leakAt + 10 * MS_PER_MINUTE) > 0.25 * PROPANE_LEL_PPM);
  });
});

describe('createHomeWorld', () => {
  it('is deterministic for a seed, whatever the step size', () => {
    const stepped = world();
    const jumped = world();
    const end = START + 4 * MS_PER_DAY;
    for (let t = START; t <= end; t += MS_PER_MINUTE) stepped.advanceTo(t);
    jumped.advanceTo(end);
    const close = (a: number, b: number, what: string): void => assert.ok(Math.abs(a - b) < 1e-6, `${what}: ${a} vs ${b}`);
    close(stepped.lpgCylinder.state.liquidLitres, jumped.lpgCylinder.state.liquidLitres, 'lpg');
    close(stepped.waterTank.state.litres, jumped.waterTank.state.litres, 'water');
    close(stepped.gasLeak.state.ppm, jumped.gasLeak.state.ppm, 'gas');
    assert.equal(stepped.lpgCylinder.state.refills, jumped.lpgCylinder.state.refills);
    assert.equal(stepped.waterTank.state.pumpStarts, jumped.waterTank.state.pumpStarts);
  });

  it('differs between seeds', () => {
    const a = world({ seed: 1 });
    const b = world({ seed: 2 });
    a.advanceTo(START + 2 * MS_PER_DAY);
    b.advanceTo(START + 2 * MS_PER_DAY);
    assert.notEqual(a.lpgCylinder.state.consumedLitres, b.lpgCylinder.state.consumedLitres);
    assert.notEqual(a.waterTank.state.drawnLitres, b.waterTank.state.drawnLitres);
  });

  it('applies overrides per section over the defaults', () => {
    const resolved = resolveHomeScenario({ lpgCylinder: { deliveryDelaysMs: [12 * MS_PER_DAY] }, gasLeaks: [] });
    assert.equal(resolved.lpgCylinder.initialPercentOfFill, DEFAULT_HOME_SCENARIO.lpgCylinder.initialPercentOfFill);
    assert.deepEqual(resolved.gasLeaks, []);
    assert.deepEqual(resolved.waterTank, DEFAULT_HOME_SCENARIO.waterTank);

    const w = world({ overrides: { lpgCylinder: { deliveryDelaysMs: [12 * MS_PER_DAY] }, gasLeaks: [] } });
    w.advanceTo(START + 10 * MS_PER_DAY);
    assert.equal(w.lpgCylinder.state.empty, true, 'a late delivery empties the cylinder');
    assert.equal(w.gasLeak.state.ppm, DEFAULT_HOME_SCENARIO.kitchen.backgroundPpm);
  });
});
