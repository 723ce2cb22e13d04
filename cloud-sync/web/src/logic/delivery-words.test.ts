import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { deliveryWords } from './delivery-words.js';

const formats = { percent: (v: number) => `${Math.round(v)} %`, litres: (v: number) => `${Math.round(v)} L` };

describe('delivery words', () => {
  it('a refill matched to its order: seen, ordered and delivered side by side', () => {
    const words = deliveryWords({ at: 0, beforePercent: 20, afterPercent: 80, litres: 598, order: { id: 'o', number: 'WO-AB12-CD34', orderedLitres: 600, deliveredLitres: 590 } }, formats);
    assert.equal(words, '20 % → 80 % (598 L seen); order WO-AB12-CD34: 600 L ordered, 590 L delivered');
  });
  it('a refill with no order says so; an order the sensor did not see says that', () => {
    assert.match(deliveryWords({ at: 0, beforePercent: 20, afterPercent: 80, litres: null, order: null }, formats), /no order/);
    assert.match(deliveryWords({ at: 0, beforePercent: null, afterPercent: null, litres: null, order: { id: 'o', number: 'WO-1', orderedLitres: 500, deliveredLitres: null } }, formats), /^not seen by the sensor; order WO-1: 500 L ordered$/);
  });
});
