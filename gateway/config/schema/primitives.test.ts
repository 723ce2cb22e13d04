import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { z } from 'zod';
import { byteSize, duration, formatDuration, i2cAddress, parseByteSize, parseDuration, wholeNumber } from './primitives.js';

function messages(schema: z.ZodType, value: unknown): string[] {
  const result = schema.safeParse(value);
  return result.success ? [] : result.error.issues.map((i) => i.message);
}

describe('durations', () => {
  it('reads every unit and a bare number of milliseconds', () => {
    assert.equal(parseDuration('250ms'), 250);
    assert.equal(parseDuration('10s'), 10_000);
    assert.equal(parseDuration('5m'), 300_000);
    assert.equal(parseDuration('1h'), 3_600_000);
    assert.equal(parseDuration('1d'), 86_400_000);
    assert.equal(parseDuration('1.5s'), 1500);
    assert.equal(parseDuration(1500), 1500);
    assert.equal(parseDuration('1500'), 1500);
  });

  it('refuses what is not a duration', () => {
    for (const bad of ['soon', '5 minutes', '-1s', '1w', '', 'ms']) assert.equal(parseDuration(bad), undefined, bad);
    assert.equal(parseDuration(-5), undefined);
    assert.equal(parseDuration(Number.NaN), undefined);
  });

  it('formats with the largest unit that divides evenly', () => {
    assert.equal(formatDuration(300_000), '5m');
    assert.equal(formatDuration(90_000), '90s');
    assert.equal(formatDuration(250), '250ms');
    assert.equal(formatDuration(86_400_000), '1d');
  });

  it('parses to milliseconds and enforces its bounds with a readable message', () => {
    const hush = duration({ min: '1m', max: '10m' });
    assert.equal(hush.parse('5m'), 300_000);
    assert.deepEqual(messages(hush, '30m'), ['must be at most 10m']);
    assert.deepEqual(messages(hush, '30s'), ['must be at least 1m']);
    assert.match(messages(hush, 'soon')[0] ?? '', /must be a duration like "250ms".*not "soon"/);
    assert.match(messages(hush, true)[0] ?? '', /must be a duration/);
  });
});

describe('byte sizes', () => {
  it('reads decimal and binary units and plain bytes', () => {
    assert.equal(parseByteSize('200MB'), 200_000_000);
    assert.equal(parseByteSize('1GiB'), 1024 ** 3);
    assert.equal(parseByteSize('512 kb'), 512_000);
    assert.equal(parseByteSize(4096), 4096);
    assert.equal(parseByteSize('4096'), 4096);
    assert.equal(parseByteSize('200 parsecs'), undefined);
    assert.equal(parseByteSize(1.5), undefined);
  });

  it('enforces its minimum', () => {
    assert.deepEqual(messages(byteSize(1e6), '10kB'), ['must be at least 1000000 bytes']);
    assert.equal(byteSize(1e6).parse('2MB'), 2e6);
  });
});

describe('I2C addresses', () => {
  it('accepts a number (YAML 1.2 reads 0x48 as 72) and the text "0x48"', () => {
    assert.equal(i2cAddress.parse(72), 0x48);
    assert.equal(i2cAddress.parse('0x48'), 0x48);
    assert.equal(i2cAddress.parse('0X4B'), 0x4b);
  });

  it('refuses the reserved ranges, in hex', () => {
    assert.match(messages(i2cAddress, 0x90)[0] ?? '', /from 0x03 to 0x77 .* not 0x90/);
    assert.equal(messages(i2cAddress, 0x02).length, 1);
    assert.equal(messages(i2cAddress, 0x78).length, 1);
    assert.equal(messages(i2cAddress, '72').length, 1, 'decimal text is ambiguous: only 0x.. text is read');
    assert.equal(messages(i2cAddress, 72.5).length, 1);
  });
});

describe('whole numbers', () => {
  it('gives one message for a fraction or an out-of-range value', () => {
    const rows = wholeNumber({ min: 1, max: 100 });
    assert.deepEqual(messages(rows, 12.5), ['must be a whole number from 1 to 100']);
    assert.deepEqual(messages(rows, 0), ['must be a whole number from 1 to 100']);
    assert.deepEqual(messages(rows, -0.5), ['must be a whole number from 1 to 100']);
    assert.equal(rows.parse(100), 100);
  });

  it('does not abort the rest of the parse (unlike .int()), so later checks still report', () => {
    const schema = z
      .object({ a: wholeNumber(), b: z.number() })
      .superRefine((_v, ctx) => ctx.addIssue({ code: 'custom', message: 'cross check ran' }), { when: () => true });
    assert.deepEqual(messages(schema, { a: 1.5, b: 1 }), ['must be a whole number', 'cross check ran']);
  });
});
