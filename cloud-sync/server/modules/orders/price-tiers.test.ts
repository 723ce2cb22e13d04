import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { formatMoney, priceOrder, tierProblems, type PriceTier } from './price-tiers.js';

const TIERS: PriceTier[] = [
  { minVolume: 100, maxVolume: 299, pricePerLitre: 8_523 }, // 0.8523 a litre
  { minVolume: 300, maxVolume: 999, pricePerLitre: 7_999 },
  { minVolume: 1_000, maxVolume: null, pricePerLitre: 7_250 },
];

describe('price tiers', () => {
  it('accepts contiguous tiers and names every gap, overlap and bad field', () => {
    assert.deepEqual(tierProblems(TIERS), []);
    assert.deepEqual(tierProblems([]), ['at least one price tier is needed']);
    assert.deepEqual(tierProblems([{ minVolume: 100, maxVolume: 200, pricePerLitre: 1 }, { minVolume: 250, maxVolume: null, pricePerLitre: 1 }]), ['tiers[1].minVolume: leaves a gap after 200 L (should be 201)']);
    assert.deepEqual(tierProblems([{ minVolume: 100, maxVolume: 200, pricePerLitre: 1 }, { minVolume: 150, maxVolume: null, pricePerLitre: 1 }]), ['tiers[1].minVolume: overlaps tier 0 (which ends at 200 L)']);
    assert.deepEqual(tierProblems([{ minVolume: 1, maxVolume: null, pricePerLitre: 0.5 }]), ['tiers[0].pricePerLitre: a positive whole number of 1/10,000 of the currency']);
    assert.deepEqual(tierProblems([{ minVolume: 1, maxVolume: null, pricePerLitre: 5 }, { minVolume: 2, maxVolume: 3, pricePerLitre: 5 }]), ['tiers[0].maxVolume: only the last tier may be open-ended']);
  });

  it('prices every tier boundary exactly, in integer cents rounded half up once', () => {
    // By hand: 100 × 0.8523 = 85.23; 299 × 0.8523 = 254.8377 → 254.84; 300 × 0.7999 = 239.97;
    // 999 × 0.7999 = 799.1001 → 799.10; 1000 × 0.7250 = 725.00.
    const cases: [number, number][] = [[100, 8_523], [299, 25_484], [300, 23_997], [999, 79_910], [1_000, 72_500]];
    for (const [litres, cents] of cases) {
      const price = priceOrder(TIERS, litres, 'EUR');
      assert.ok(price.ok);
      assert.deepEqual(price.total, { amount: cents, currency: 'EUR' }, `${litres} L`);
    }
  });

  it('rounds half up at exactly half a cent, and uses each currency’s own minor unit', () => {
    const half: PriceTier[] = [{ minVolume: 1, maxVolume: null, pricePerLitre: 5_050 }]; // 0.5050 a litre
    assert.deepEqual((priceOrder(half, 1, 'EUR') as { total: unknown }).total, { amount: 51, currency: 'EUR' }); // 0.505 → 0.51
    assert.deepEqual((priceOrder(half, 1, 'JPY') as { total: unknown }).total, { amount: 1, currency: 'JPY' }); // 0.505 yen → 1
    assert.deepEqual((priceOrder(half, 3, 'KWD') as { total: unknown }).total, { amount: 1_515, currency: 'KWD' }); // 1.515 KWD, 3 digits
  });

  it('never loses a cent against exact rational arithmetic, for every volume of the tiers', () => {
    for (let litres = 100; litres <= 1_500; litres++) {
      const price = priceOrder(TIERS, litres, 'EUR');
      assert.ok(price.ok);
      const exactTenThousandths = litres * price.tier.pricePerLitre; // exact: well inside 2^53
      const cents = Math.floor((exactTenThousandths + 50) / 100);
      assert.equal(price.total.amount, cents, `${litres} L`);
    }
  });

  it('refuses a volume outside the tiers or not a whole positive number, in words', () => {
    assert.deepEqual(priceOrder(TIERS, 50, 'EUR'), { ok: false, reason: 'this supplier delivers at least 100 L' });
    assert.deepEqual(priceOrder(TIERS.slice(0, 2), 1_200, 'EUR'), { ok: false, reason: 'this supplier delivers at most 999 L' });
    assert.deepEqual(priceOrder(TIERS, 0, 'EUR'), { ok: false, reason: 'litres: a whole number, 1 or more' });
    assert.deepEqual(priceOrder(TIERS, 150.5, 'EUR'), { ok: false, reason: 'litres: a whole number, 1 or more' });
  });

  it('formats money for people from the integer amount', () => {
    assert.equal(formatMoney({ amount: 25_484, currency: 'EUR' }), '€254.84');
    assert.equal(formatMoney({ amount: 1_515, currency: 'KWD' }), 'KWD\u00a01.515');
    assert.equal(formatMoney({ amount: -5, currency: 'EUR' }), '-€0.05');
    assert.equal(formatMoney({ amount: 9_007_199_254_740_991, currency: 'EUR' }), '€90,071,992,547,409.91');
    assert.equal(formatMoney({ amount: 1_200, currency: 'JPY' }), 'JP¥1,200');
  });
});
