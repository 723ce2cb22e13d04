import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { MS_PER_DAY, MS_PER_HOUR, MS_PER_MINUTE, integrate, timeToAccumulate } from './daily-profile.js';
import { LpgCylinder } from './lpg-cylinder.js';
import type { LpgCylinderConfig, LpgCylinderState } from './lpg-cylinder.js';

const JAN_1 = Date.UTC(2026, 0, 1); // a Thursday
const JUL_1 = Date.UTC(2026, 6, 1);

function cylinder(overrides: Partial<LpgCylinderConfig> = {}): LpgCylinder {
  return new LpgCylinder({ startMs: JAN_1, utcOffsetMinutes: 330, seed: 11, ...overrides });
}

function close(actual: number, expected: number, tolerance: number, what: string): void {
  assert.ok(Math.abs(actual - expected) <= tolerance, `${what}: ${actual} vs ${expected}`);
}

function assertSameState(a: LpgCylinderState, b: LpgCylinderState): void {
  close(a.liquidLitres, b.liquidLitres, 1e-9, 'liquidLitres');
  close(a.consumedLitres, b.consumedLitres, 1e-9, 'consumedLitres');
  close(a.refilledLitres, b.refilledLitres, 1e-9, 'refilledLitres');
  close(a.unmetKg, b.unmetKg, 1e-9, 'unmetKg');
  assert.equal(a.refills, b.refills);
  assert.equal(a.empty, b.empty);
  close(a.lastRefillAt ?? 0, b.lastRefillAt ?? 0, 1e-3, 'lastRefillAt');
  close(a.deliveryDueAt ?? 0, b.deliveryDueAt ?? 0, 1e-3, 'deliveryDueAt');
}

describe('LpgCylinder', () => {
  it('holds at most 80% of its water capacity', () => {
    const c = cylinder({ waterCapacityLitres: 108 });
    assert.equal(c.fullLitres, 86.4);
    assert.equal(c.state.percentOfFill, 100);
    assert.equal(c.state.fractionOfWaterCapacity, 0.8);
    close(c.state.liquidKg, 86.4 * 0.51, 1e-9, 'liquidKg');
    assert.throws(() => cylinder({ maxFillFraction: 0.9 }), /maxFillFraction/);
    assert.throws(() => cylinder({ initialPercentOfFill: 101 }), /initialPercentOfFill/);
  });

  it('reaches the same state in 1-minute steps as in one 3-day step, through an order and a refill', () => {
    const config = { initialPercentOfFill: 24, deliveryDelayMs: MS_PER_DAY };
    const stepped = cylinder(config);
    const jumped = cylinder(config);
    const end = JAN_1 + 3 * MS_PER_DAY;
    for (let t = JAN_1; t <= end; t += MS_PER_MINUTE) stepped.advanceTo(t);
    jumped.advanceTo(end);
    assert.equal(jumped.state.refills, 1, 'the story includes a refill');
    assertSameState(stepped.state, jumped.state);
  });

  it('reconciles: initial − consumed + refilled = liquid, and consumption = ∫ demand', () => {
    const c = cylinder({ initialPercentOfFill: 30, deliveryDelayMs: 6 * MS_PER_HOUR });
    const initial = c.state.liquidLitres;
    const end = JAN_1 + 120 * MS_PER_DAY;
    c.advanceTo(end);
    const s = c.state;
    assert.ok(s.refills >= 2, `refills ${s.refills}`);
    assert.equal(s.unmetKg, 0);
    close(initial - s.consumedLitres + s.refilledLitres, s.liquidLitres, 1e-9, 'balance');
    close(s.consumedLitres * c.densityKgPerLitre, integrate(c.consumption, JAN_1, end), 1e-9, 'demand');
  });

  it('orders at the exact crossing of the threshold and fills to 80% when the delivery arrives', () => {
    const delay = 2 * MS_PER_DAY;
    const probe = cylinder({ initialPercentOfFill: 25 });
    const kgToThreshold = 0.05 * probe.fullLitres * probe.densityKgPerLitre;
    const crossing = timeToAccumulate(probe.consumption, JAN_1, JAN_1 + 30 * MS_PER_DAY, kgToThreshold);
    assert.ok(crossing !== null);

    const c = cylinder({ initialPercentOfFill: 25, deliveryDelayMs: delay });
    c.advanceTo(crossing - 1);
    assert.ok(c.state.percentOfFill > 20);
    assert.equal(c.state.deliveryDueAt, null);
    c.advanceTo(crossing);
    close(c.state.percentOfFill, 20, 1e-9, 'percent at crossing');
    assert.equal(c.state.deliveryDueAt, crossing + delay);
    c.advanceTo(crossing + delay - 1);
    assert.equal(c.state.refills, 0);
    assert.ok(c.state.percentOfFill < 20);
    c.advanceTo(crossing + delay);
    assert.equal(c.state.refills, 1);
    assert.equal(c.state.lastRefillAt, crossing + delay);
    assert.equal(c.state.percentOfFill, 100);
    assert.equal(c.state.fractionOfWaterCapacity, 0.8);
    assert.equal(c.state.deliveryDueAt, null);
  });

  it('orders at once when it starts below the threshold', () => {
    const c = cylinder({ initialPercentOfFill: 10, deliveryDelayMs: 5 * MS_PER_HOUR });
    assert.equal(c.state.deliveryDueAt, JAN_1 + 5 * MS_PER_HOUR);
  });

  it('runs empty when a delivery is late, counts the unmet demand, and recovers on delivery', () => {
    const late = 12 * MS_PER_DAY;
    const c = cylinder({ initialPercentOfFill: 21, deliveryDelaysMs: [late] });
    const s0 = c.state;
    c.advanceTo(JAN_1 + MS_PER_DAY); // 21% → 20% within the first (winter) day
    const due = c.state.deliveryDueAt;
    assert.ok(due !== null && due > JAN_1 + late);

    c.advanceTo(due - 1);
    const dry = c.state;
    assert.equal(dry.empty, true);
    assert.equal(dry.liquidLitres, 0);
    assert.equal(dry.percentOfFill, 0);
    assert.ok(dry.unmetKg > 0);
    close(dry.consumedLitres, s0.liquidLitres, 1e-9, 'burnt everything');
    // Demand = burnt + unmet.
    close(dry.consumedLitres * c.densityKgPerLitre + dry.unmetKg, integrate(c.consumption, JAN_1, due - 1), 1e-9, 'demand');

    c.advanceTo(due);
    assert.equal(c.state.empty, false);
    assert.equal(c.state.percentOfFill, 100);
    // Later orders use the default 2-day delay, which keeps up: never empty again.
    for (let t = due; t <= due + 120 * MS_PER_DAY; t += MS_PER_HOUR) {
      c.advanceTo(t);
      assert.equal(c.state.empty, false, `empty at ${new Date(t).toISOString()}`);
    }
    assert.ok(c.state.refills >= 2);
  });

  it('swaps the cylinder on schedule, with no orders when reordering is off', () => {
    const swapAt = JAN_1 + 5 * MS_PER_DAY + 3 * MS_PER_HOUR;
    const c = cylinder({ initialPercentOfFill: 15, refillBelowPercentOfFill: null, scheduledSwapsMs: [swapAt] });
    assert.equal(c.state.deliveryDueAt, null);
    c.advanceTo(swapAt - 1);
    assert.equal(c.state.refills, 0);
    c.advanceTo(swapAt);
    assert.equal(c.state.refills, 1);
    assert.equal(c.state.lastRefillAt, swapAt);
    assert.equal(c.state.percentOfFill, 100);
  });

  it('heats in the configured cold months only', () => {
    const burnt = (startMs: number, coldMonths: number[]): number => {
      const c = cylinder({ startMs, coldMonths, refillBelowPercentOfFill: null });
      c.advanceTo(startMs + 7 * MS_PER_DAY);
      return c.state.consumedLitres;
    };
    assert.ok(burnt(JAN_1, [1]) > 2 * burnt(JAN_1, []), 'January heating more than doubles the use');
    assert.equal(burnt(JUL_1, [1]), burnt(JUL_1, []));
  });

  it('varies from day to day around the profile, deterministically for a seed', () => {
    const dailyKg = (seed: number, dailyVariation: number): number[] => {
      const c = cylinder({ seed, dailyVariation, coldMonths: [], refillBelowPercentOfFill: null });
      return Array.from({ length: 14 }, (_, d) => {
        const from = c.state.consumedLitres;
        c.advanceTo(JAN_1 + (d + 1) * MS_PER_DAY);
        return (c.state.consumedLitres - from) * c.densityKgPerLitre;
      });
    };
    const flat = dailyKg(11, 0);
    const varied = dailyKg(11, 0.15);
    assert.equal(new Set(flat.map((kg) => kg.toFixed(9))).size, 2, 'weekday and weekend totals only');
    assert.ok(new Set(varied.map((kg) => kg.toFixed(9))).size > 10);
    varied.forEach((kg, d) => assert.ok(kg > 0.3 * flat[d]! && kg < 1.7 * flat[d]!, `day ${d}: ${kg}`));
    assert.deepEqual(dailyKg(11, 0.15), varied);
    assert.notDeepEqual(dailyKg(12, 0.15), varied);
  });

  it('ignores a step backwards in time', () => {
    const c = cylinder();
    c.advanceTo(JAN_1 + MS_PER_DAY);
    const before = c.state;
    c.advanceTo(JAN_1 + 1000);
    assert.deepEqual(c.state, before);
    assert.equal(c.timeMs, JAN_1 + MS_PER_DAY);
  });
});
