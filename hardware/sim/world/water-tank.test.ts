import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { MS_PER_DAY, MS_PER_HOUR, MS_PER_MINUTE, integrate, localDayNumber, localInstant } from './daily-profile.js';
import { WaterTank } from './water-tank.js';
import type { WaterTankConfig, WaterTankState } from './water-tank.js';

const START = Date.UTC(2026, 0, 1); // Thursday
const OFFSET = 330;
const DAY1 = localDayNumber(START, OFFSET);
const at = (day: number, hour: number): number => localInstant(DAY1 + day - 1, hour, OFFSET);

function tank(overrides: Partial<WaterTankConfig> = {}): WaterTank {
  return new WaterTank({ startMs: START, utcOffsetMinutes: OFFSET, seed: 3, ...overrides });
}

function close(actual: number, expected: number, tolerance: number, what: string): void {
  assert.ok(Math.abs(actual - expected) <= tolerance, `${what}: ${actual} vs ${expected}`);
}

const FLAT_100 = { weekday: [{ fromHour: 0, perHour: 100 }] };

describe('WaterTank', () => {
  it('is a vertical cylinder: 1 mm of level over π r²', () => {
    const t = tank({ diameterMm: 1000, heightMm: 1000, initialLevelMm: 500 });
    close(t.capacityLitres, 785.398, 1e-3, 'capacity');
    close(t.state.litres, 392.699, 1e-3, 'litres');
    assert.equal(t.state.levelMm, 500);
    assert.equal(t.state.percent, 50);
    assert.throws(() => tank({ pump: { lowMarkMm: 900, highMarkMm: 800 } }), /pump marks/);
  });

  it('reaches the same state in 1-minute steps as in one 3-day step, with pump cycles and a leak', () => {
    const config = { nightLeak: { nights: [1, 2] } };
    const stepped = tank(config);
    const jumped = tank(config);
    const end = START + 3 * MS_PER_DAY;
    for (let t = START; t <= end; t += MS_PER_MINUTE) stepped.advanceTo(t);
    jumped.advanceTo(end);
    const a = stepped.state;
    const b = jumped.state;
    assert.ok(b.pumpStarts >= 2 && b.leakedLitres > 0, 'the story includes pumping and leaking');
    for (const key of ['litres', 'levelMm', 'pumpedLitres', 'drawnLitres', 'leakedLitres'] as const) {
      close(a[key], b[key], 1e-6, key);
    }
    assert.equal(a.pumpStarts, b.pumpStarts);
    assert.equal(a.pumpOn, b.pumpOn);
  });

  it('reconciles: initial + pumped − drawn − leaked = litres, flows = ∫ rates', () => {
    const t = tank({ nightLeak: { nights: [1, 3, 5, 7] } });
    const initial = t.state.litres;
    const end = START + 30 * MS_PER_DAY;
    t.advanceTo(end);
    const s = t.state;
    close(initial + s.pumpedLitres - s.drawnLitres - s.leakedLitres, s.litres, 1e-6, 'balance');
    close(s.drawnLitres, integrate(t.draw, START, end), 1e-6, 'drawn');
    close(s.leakedLitres, 4 * 8 * 4, 1e-9, 'leaked');
    assert.equal(s.unmetLitres, 0);
  });

  it('starts the pump exactly at the low mark and stops it exactly at the high mark, with no chatter', () => {
    const t = tank({
      drawLitresPerHour: FLAT_100,
      hourlyVariation: 0,
      initialLevelMm: 500,
      pump: { fillLitresPerHour: 500, lowMarkMm: 300, highMarkMm: 900 },
    });
    const perMm = t.litresPerMm;
    const onAt = START + ((200 * perMm) / 100) * MS_PER_HOUR; // 200 mm at −100 L/h
    const offAt = onAt + ((600 * perMm) / 400) * MS_PER_HOUR; // 600 mm at +400 L/h
    const onAgainAt = offAt + ((600 * perMm) / 100) * MS_PER_HOUR;

    const expectAt = (ms: number, pumpOn: boolean, levelMm: number, starts: number): void => {
      t.advanceTo(ms);
      assert.equal(t.state.pumpOn, pumpOn, `pump at ${ms - START} ms`);
      close(t.state.levelMm, levelMm, 1e-3, `level at ${ms - START} ms`);
      assert.equal(t.state.pumpStarts, starts);
    };
    // The expected instants are computed independently, so allow 1 ms either side.
    expectAt(onAt - 1, false, 300, 0);
    expectAt(onAt + 1, true, 300, 1);
    expectAt(offAt - 1, true, 900, 1);
    expectAt(offAt + 1, false, 900, 1);
    expectAt(onAgainAt - 1, false, 300, 1);
    expectAt(onAgainAt + 1, true, 300, 2);

    // Sampled every minute over a week: the pump flips only at the marks.
    let previous = t.state;
    for (let ms = onAgainAt; ms < onAgainAt + 7 * MS_PER_DAY; ms += MS_PER_MINUTE) {
      t.advanceTo(ms);
      const s = t.state;
      assert.ok(s.levelMm >= 300 - 1e-6 && s.levelMm <= 900 + 1e-6, `level ${s.levelMm}`);
      if (s.pumpOn !== previous.pumpOn) {
        // Within the minute the level moved at most 400 L/h × 1 min.
        close(s.levelMm, s.pumpOn ? 300 : 900, (400 / 60 / perMm) + 1e-6, 'flip at a mark');
      }
      previous = s;
    }
  });

  it('runs dry with the pump disabled: stops at the floor and counts unmet demand', () => {
    const t = tank({ drawLitresPerHour: FLAT_100, hourlyVariation: 0, initialLevelMm: 100, pump: { enabled: false } });
    const initial = t.state.litres;
    const dryAt = START + (initial / 100) * MS_PER_HOUR;
    t.advanceTo(dryAt);
    close(t.state.litres, 0, 1e-6, 'dry');
    t.advanceTo(dryAt + 2 * MS_PER_HOUR);
    const s = t.state;
    assert.equal(s.litres, 0);
    assert.equal(s.pumpOn, false);
    assert.equal(s.pumpStarts, 0);
    close(s.drawnLitres, initial, 1e-9, 'drawn');
    close(s.unmetLitres, 200, 1e-9, 'unmet');
    assert.equal(t.distanceForSensor(1200), 1200);
  });

  it('pauses the pump during an outage and resumes after it', () => {
    const outage = { fromMs: START, untilMs: START + 2 * MS_PER_HOUR };
    const t = tank({
      drawLitresPerHour: FLAT_100,
      hourlyVariation: 0,
      initialLevelMm: 200,
      pump: { fillLitresPerHour: 500, lowMarkMm: 300, highMarkMm: 900, outages: [outage] },
    });
    t.advanceTo(outage.untilMs - 1);
    assert.equal(t.state.pumpOn, false);
    assert.equal(t.state.pumpedLitres, 0);
    t.advanceTo(outage.untilMs);
    assert.equal(t.state.pumpOn, true);
    t.advanceTo(outage.untilMs + MS_PER_HOUR);
    close(t.state.pumpedLitres, 500, 1e-9, 'pumped');
  });

  it('leaks on the chosen night only, as the only draw in its window', () => {
    const t = tank({ initialLevelMm: 1000, nightLeak: { litresPerHour: 8, fromHour: 1, toHour: 5, nights: [2] } });
    const from = at(3, 1); // night 2 = the early morning of day 3
    const until = at(3, 5);
    for (let ms = from; ms < until; ms += MS_PER_MINUTE) {
      assert.equal(t.draw.rateAt(ms), 0, 'no household draw in the window');
      assert.equal(t.leak.rateAt(ms), 8);
    }
    assert.equal(t.leak.rateAt(at(2, 3)), 0, 'not on night 1');
    assert.equal(t.leak.rateAt(at(4, 3)), 0, 'not on night 3');

    t.advanceTo(from - 1);
    const before = t.state;
    assert.equal(before.leaking, false);
    assert.equal(before.pumpOn, false, 'the pump stays out of the way at this level');
    t.advanceTo(from);
    assert.equal(t.state.leaking, true);
    t.advanceTo(until - 1);
    assert.equal(t.state.leaking, true);
    t.advanceTo(until);
    const after = t.state;
    assert.equal(after.leaking, false);
    close(before.litres - after.litres, 32, 1e-6, 'litres lost');
    close(before.levelMm - after.levelMm, 32 / t.litresPerMm, 1e-6, 'mm lost');
    close(after.leakedLitres, 32, 1e-9, 'leaked');
  });

  it('places a leak window that wraps midnight on the evening of its night', () => {
    const t = tank({ nightLeak: { fromHour: 23, toHour: 4, nights: [2] } });
    assert.deepEqual(t.leak.windows.map((w) => [w.fromMs, w.untilMs]), [[at(2, 23), at(3, 4)]]);
  });

  it('tells the ultrasonic sensor the distance down to the water', () => {
    const t = tank({ initialLevelMm: 700 });
    assert.equal(t.distanceForSensor(1200), 500);
    const later = START + 9 * MS_PER_HOUR;
    assert.equal(t.distanceAt(1200, later), 1200 - t.state.levelMm);
    assert.equal(t.timeMs, later);
  });

  it('drops echoes on cold nights only, by slot, deterministically', () => {
    const condensation = { months: [1], fromHour: 0, toHour: 7, dropoutProbability: 0.3, slotMs: 60_000 };
    const sample = (seed: number, day: number, hour: number): (number | null)[] => {
      const t = tank({ seed, condensation });
      return Array.from({ length: 600 }, (_, i) => t.distanceAt(1200, at(day, hour) + i * 30_000));
    };
    const night = sample(3, 2, 1);
    const dropouts = night.filter((d) => d === null).length;
    assert.ok(dropouts > 0.2 * 600 && dropouts < 0.4 * 600, `dropouts ${dropouts}`);
    for (let i = 0; i < night.length; i += 2) {
      assert.equal(night[i] === null, night[i + 1] === null, 'a droplet lasts its whole slot');
    }
    assert.ok(sample(3, 2, 12).every((d) => d !== null), 'no dropouts at noon');
    const july = new WaterTank({ startMs: Date.UTC(2026, 6, 1), utcOffsetMinutes: OFFSET, seed: 3, condensation });
    const julyNight = localInstant(localDayNumber(Date.UTC(2026, 6, 2), OFFSET), 2, OFFSET);
    assert.ok(Array.from({ length: 200 }, (_, i) => july.distanceAt(1200, julyNight + i * 60_000)).every((d) => d !== null));
    assert.deepEqual(sample(3, 2, 1), night);
  });

  it('is deterministic for a seed and varies between seeds', () => {
    const run = (seed: number): WaterTankState => {
      const t = tank({ seed });
      t.advanceTo(START + 5 * MS_PER_DAY);
      return t.state;
    };
    assert.deepEqual(run(3), run(3));
    assert.notEqual(run(3).drawnLitres, run(4).drawnLitres);
  });

  it('ignores a step backwards in time', () => {
    const t = tank();
    t.advanceTo(START + MS_PER_DAY);
    const before = t.state;
    t.advanceTo(START);
    assert.deepEqual(t.state, before);
  });
});
