import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { matchDeliveries, MATCH_WITHIN_MS } from './delivery-matching.js';

const H = 3_600_000;
const refill = (at: number) => ({ at, lastRiseAt: at, beforePercent: 20, afterPercent: 80, litres: 600 });
const order = (n: number, deliveredAt: number) => ({ id: `o${n}`, number: `WO-000${n}`, deliveredAt, litres: 600, actualLitres: 590 });

describe('matching refills to delivered orders', () => {
  it('a refill seen near an order\'s delivery is that order: litres ordered, delivered and seen side by side', () => {
    const [d] = matchDeliveries([refill(100 * H)], [order(1, 98 * H)]);
    assert.deepEqual(d?.order, { id: 'o1', number: 'WO-0001', orderedLitres: 600, deliveredLitres: 590 });
    assert.equal(d?.litres, 600);
  });

  it('a refill with no order near it is of unknown origin; an order the sensor did not see is listed on its own', () => {
    const list = matchDeliveries([refill(100 * H)], [order(1, 100 * H + MATCH_WITHIN_MS + H)]);
    assert.equal(list.length, 2);
    assert.equal(list[0]?.order, null, 'unknown origin');
    assert.deepEqual([list[1]?.beforePercent, list[1]?.order?.number], [null, 'WO-0001']);
  });

  it('each order matches one refill only, the nearest', () => {
    const list = matchDeliveries([refill(100 * H), refill(104 * H)], [order(1, 103 * H)]);
    assert.deepEqual(list.map((d) => d.order?.number ?? null), [null, 'WO-0001']);
  });
});
