import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { newOrderNumber, parseOrderNumber } from './order-number.js';

describe('order numbers', () => {
  it('reads as WO-XXXX-XXXX in Crockford base 32 and uses all 40 random bits', () => {
    assert.equal(newOrderNumber(() => Buffer.alloc(5, 0)), 'WO-0000-0000');
    assert.equal(newOrderNumber(() => Buffer.alloc(5, 0xff)), 'WO-ZZZZ-ZZZZ');
    assert.equal(newOrderNumber(() => Buffer.from([0, 0, 0, 0, 1])), 'WO-0000-0001');
    assert.equal(newOrderNumber(() => Buffer.from([0x80, 0, 0, 0, 0])), 'WO-G000-0000');
  });

  it('does not repeat or follow a sequence in 10,000 draws', () => {
    const seen = new Set<string>();
    for (let i = 0; i < 10_000; i++) {
      const n = newOrderNumber();
      assert.match(n, /^WO-[0-9A-HJKMNP-TV-Z]{4}-[0-9A-HJKMNP-TV-Z]{4}$/);
      seen.add(n);
    }
    assert.equal(seen.size, 10_000);
  });

  it('parses what a person types, and refuses what cannot be one', () => {
    assert.equal(parseOrderNumber(' wo-7kq2-m9xd '), 'WO-7KQ2-M9XD');
    assert.equal(parseOrderNumber('7KQ2 M9XD'), 'WO-7KQ2-M9XD');
    assert.equal(parseOrderNumber('WO-OIL0-0000'), 'WO-0110-0000');
    assert.equal(parseOrderNumber('WO-7KQ2-M9XU'), undefined); // U is not in the alphabet
    assert.equal(parseOrderNumber('WO-7KQ2'), undefined);
    assert.equal(parseOrderNumber(''), undefined);
  });
});
