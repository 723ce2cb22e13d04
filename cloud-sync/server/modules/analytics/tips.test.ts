import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { PriceTier } from '../orders/price-tiers.js';
import { DAY, HOUR } from './local-time.js';
import { meals, trace } from './test-traces.js';
import { tips, type Tip, type TipOptions } from './tips.js';
import { analyseUsage } from './usage.js';

const START = Date.UTC(2026, 0, 5); // a Monday
const TIERS: PriceTier[] = [
  { minVolume: 1, maxVolume: 199, pricePerLitre: 9000 },
  { minVolume: 200, maxVolume: 499, pricePerLitre: 8500 },
  { minVolume: 500, maxVolume: null, pricePerLitre: 8000 },
];
const base = (now: number, over: Partial<TipOptions> = {}): TipOptions => ({ now, capacityLitres: 1000, lowPercent: 10, reorderPercent: 20, ...over });
const kinds = (list: readonly Tip[]) => list.map((t) => t.kind);
const weekdayOf = (hourIndex: number) => (1 + Math.floor(hourIndex / 24)) % 7;

describe('analytics tips', () => {
  it('a bigger order: the next cheaper tier that still fits the tank, with the prices it compares', () => {
    // Two deliveries of ~300 L (30 % of 1,000 L).
    const rows = trace({ start: START, hours: 30 * 24, fromPercent: 60, perHour: meals, capacityLitres: 1000, refills: [{ hour: 10 * 24, toPercent: 66 }, { hour: 22 * 24, toPercent: 67 }] });
    const now = START + 30 * DAY;
    const list = tips(analyseUsage(rows, { capacityLitres: 1000 }), base(now, { supplier: { tiers: TIERS, currency: 'EUR', leadTimeDays: 3 } }));
    const tip = list.find((t) => t.kind === 'bigger_order');
    assert.ok(tip !== undefined, JSON.stringify(list));
    assert.equal(tip.figures.biggerLitres, 500);
    assert.equal(tip.figures.usualPricePerLitre, 8500);
    assert.equal(tip.figures.savingPerLitre, 500);
    assert.match(tip.text, /^Ordering 500 L instead of [23]\d\d L costs €0\.0500 less per litre \(€0\.8000 instead of €0\.8500\)/);
  });

  it('no bigger-order tip without a supplier, when the usual order is in the cheapest tier, or when the cheaper tier would not fit', () => {
    const rows = trace({ start: START, hours: 30 * 24, fromPercent: 60, perHour: meals, capacityLitres: 1000, refills: [{ hour: 10 * 24, toPercent: 66 }] });
    const usage = analyseUsage(rows, { capacityLitres: 1000 });
    const now = START + 30 * DAY;
    assert.deepEqual(kinds(tips(usage, base(now))).includes('bigger_order'), false, 'no supplier');
    const cheapAlready: PriceTier[] = [{ minVolume: 1, maxVolume: 199, pricePerLitre: 9000 }, { minVolume: 200, maxVolume: null, pricePerLitre: 8000 }];
    assert.equal(kinds(tips(usage, base(now, { supplier: { tiers: cheapAlready, currency: 'EUR', leadTimeDays: 3 } }))).includes('bigger_order'), false, 'already the cheapest');
    // A 500 L tank: 500 L never fits above a 20 % reorder level.
    const small = tips(analyseUsage(trace({ start: START, hours: 30 * 24, fromPercent: 60, perHour: meals, capacityLitres: 500, refills: [{ hour: 240, toPercent: 90 }] }), { capacityLitres: 500 }), base(now, { capacityLitres: 500, supplier: { tiers: TIERS, currency: 'EUR', leadTimeDays: 3 } }));
    assert.equal(kinds(small).includes('bigger_order'), false, JSON.stringify(small));
  });

  it('weekend use: said when it differs by 20 % or more over enough days, never from a small difference', () => {
    const hours = 28 * 24;
    const heavy = trace({ start: START, hours, fromPercent: 95, perHour: (hod, h) => meals(hod) * ([0, 6].includes(weekdayOf(h)) ? 1.5 : 1) });
    const tip = tips(analyseUsage(heavy), base(START + hours * HOUR)).find((t) => t.kind === 'weekend_use');
    assert.ok(tip !== undefined);
    assert.ok(Number(tip.figures.differencePercent) >= 40 && Number(tip.figures.differencePercent) <= 60, tip.text);
    assert.match(tip.text, /^Your weekend use is \d+ % above weekdays/);
    const even = trace({ start: START, hours, fromPercent: 95, perHour: (hod, h) => meals(hod) * ([0, 6].includes(weekdayOf(h)) ? 1.1 : 1) });
    assert.equal(kinds(tips(analyseUsage(even), base(START + hours * HOUR))).includes('weekend_use'), false);
    const short = trace({ start: START, hours: 8 * 24, fromPercent: 95, perHour: (hod, h) => meals(hod) * ([0, 6].includes(weekdayOf(h)) ? 2 : 1) });
    assert.equal(kinds(tips(analyseUsage(short), base(START + 8 * DAY))).includes('weekend_use'), false, 'one weekend is not enough');
  });

  it('this month against the same weeks last year', () => {
    const days = 400;
    const refills = Array.from({ length: 7 }, (_, i) => ({ hour: (i + 1) * 50 * 24 + 3, toPercent: 90 }));
    const rows = (factor: number) =>
      trace({ start: START, hours: days * 24, fromPercent: 90, refills, perHour: (hod, h) => (hod >= 8 && hod < 12 ? 0.25 : 0) * (h >= (days - 28) * 24 ? factor : 1) });
    const now = START + days * DAY;
    const tip = tips(analyseUsage(rows(1.3)), base(now)).find((t) => t.kind === 'month_vs_last_year');
    assert.ok(tip !== undefined);
    assert.ok(Math.abs(Number(tip.figures.differencePercent) - 30) <= 6, tip.text);
    assert.equal(kinds(tips(analyseUsage(rows(1.05)), base(now))).includes('month_vs_last_year'), false);
    assert.equal(kinds(tips(analyseUsage(rows(1.3).filter((r) => r.at > now - 100 * DAY)), base(now))).includes('month_vs_last_year'), false, 'no last year, no comparison');
  });

  it('an emergency delivery: the auto-order level that would have avoided it, from the rate and the lead time', () => {
    // 2.4 %/day from 80 %: 8 % by day 30, refilled there.
    const rows = trace({ start: START, hours: 40 * 24, fromPercent: 80, perHour: meals, refills: [{ hour: 30 * 24, toPercent: 85 }] });
    const tip = tips(analyseUsage(rows), base(START + 40 * DAY, { reorderPercent: 15 })).find((t) => t.kind === 'earlier_auto_order');
    assert.ok(tip !== undefined);
    // 10 % low + 2.4 %/day × (3 days' lead + 2 days' margin) = 22 % → 25 %.
    assert.equal(tip.figures.suggestedReorderPercent, 25);
    assert.match(tip.text, /auto-order at 25 % would have avoided the emergency delivery on 2026-02-04/);
    const calm = trace({ start: START, hours: 40 * 24, fromPercent: 95, perHour: meals, refills: [{ hour: 30 * 24, toPercent: 85 }] });
    assert.equal(kinds(tips(analyseUsage(calm), base(START + 40 * DAY, { reorderPercent: 15 }))).includes('earlier_auto_order'), false, 'the refill found 23 %: no emergency');
  });

  it('figures are finite numbers or words: no NaN or Infinity, even from empty or flat data', () => {
    for (const rows of [[], trace({ start: START, hours: 30 * 24, fromPercent: 50, perHour: () => 0 })]) {
      for (const t of tips(analyseUsage(rows), base(START + 30 * DAY, { supplier: { tiers: TIERS, currency: 'EUR', leadTimeDays: 3 } }))) {
        for (const v of Object.values(t.figures)) assert.ok(typeof v === 'string' || Number.isFinite(v), `${t.kind}: ${String(v)}`);
      }
    }
  });
});
