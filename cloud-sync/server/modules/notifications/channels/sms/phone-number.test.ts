import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { normalisePhoneNumber } from './phone-number.js';

describe('phone numbers to E.164', () => {
  it('normalises the ways people write a mobile number', () => {
    const cases: [string, 'GB' | 'US' | 'DE' | undefined, string][] = [
      ['07911 123456', 'GB', '+447911123456'],
      ['+44 (0) 7911-123456', undefined, '+447911123456'],
      ['00 44 7911 123456', 'DE', '+447911123456'],
      ['+44 7911 123456', 'US', '+447911123456'],
      ['(201) 555-0123', 'US', '+12015550123'],
      ['+49 1512 3456789', undefined, '+4915123456789'],
      ['  +33 6 12 34 56 78 ', undefined, '+33612345678'],
    ];
    for (const [input, country, e164] of cases) assert.deepEqual(normalisePhoneNumber(input, country), { ok: true, e164 }, input);
  });

  it('refuses what cannot take an SMS, saying why', () => {
    const cases: [string, 'GB' | undefined, RegExp][] = [
      ['', 'GB', /empty/],
      ['hello', 'GB', /not a phone number/],
      ['07911123456', undefined, /country code/],
      ['+44 7911 12345', undefined, /not a valid number/],
      ['+44 20 7946 0018', undefined, /fixed line number/],
      ['0800 123 4567', 'GB', /toll free/],
      ['+44 7911 123456 ext. 5', undefined, /extension/],
      ['+44 7911 123456'.repeat(5), undefined, /too long/],
    ];
    for (const [input, country, reason] of cases) {
      const result = normalisePhoneNumber(input, country);
      assert.equal(result.ok, false, input);
      if (!result.ok) assert.match(result.reason, reason, input);
    }
  });
});
