import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { MS_PER_DAY } from './daily-profile.js';
import { HeatingTank } from './heating-tank.js';

const START = Date.UTC(2026, 11, 1);

describe('heating tank world model', () => {
  it('burns base + HDD / K a day, more through a cold spell, and is refilled after the low mark', () => {
    const tank = new HeatingTank({ startMs: START, seed: 3, dailyCelsiusSd: 0, coldSpells: [{ fromMs: START + 10 * MS_PER_DAY, untilMs: START + 20 * MS_PER_DAY, dropCelsius: 10 }] });
    tank.advanceTo(START + MS_PER_DAY);
    const mild = tank.state.consumedLitres;
    assert.ok(Math.abs(mild - (3 + 10.5 * 1.5)) < 0.5, `a 5 °C day: ${mild} L`);
    tank.advanceTo(START + 10 * MS_PER_DAY);
    const before = tank.state.consumedLitres;
    tank.advanceTo(START + 11 * MS_PER_DAY);
    assert.ok(Math.abs(tank.state.consumedLitres - before - (3 + 20.5 * 1.5)) < 0.5, 'a −5 °C day');
    tank.advanceTo(START + 80 * MS_PER_DAY);
    assert.ok(tank.state.deliveries >= 1 && tank.state.litres > 0);
    const again = new HeatingTank({ startMs: START, seed: 3, dailyCelsiusSd: 0 });
    again.advanceTo(START + 12 * 3_600_000);
    again.advanceTo(START + MS_PER_DAY);
    assert.equal(again.state.consumedLitres, mild, 'the same whatever the step');
  });
});
