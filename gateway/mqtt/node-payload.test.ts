import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { parseNodePayload } from './node-payload.js';
import { malformedPayloads } from './test-support/node-fuzz.js';

const parse = (text: string | Buffer, max = 4096) => parseNodePayload(typeof text === 'string' ? Buffer.from(text) : text, max);

describe('Wi-Fi node payloads', () => {
  it('accept a plain number, true/false, or JSON with value, unit, ts and warmingUp', () => {
    assert.deepEqual(parse(' 21.5\n'), { ok: true, payload: { value: 21.5 } });
    assert.deepEqual(parse('-3e2'), { ok: true, payload: { value: -300 } });
    assert.deepEqual(parse('true'), { ok: true, payload: { value: true } });
    assert.deepEqual(parse('{"value": 3, "unit": "floor", "ts": 1764000000, "warmingUp": true, "rssi": -60}'), {
      ok: true,
      payload: { value: 3, unit: 'floor', tsMs: 1_764_000_000_000, warmingUp: true },
    });
    assert.deepEqual(parse('{"value": 3, "ts": 1764000000123}'), { ok: true, payload: { value: 3, tsMs: 1_764_000_000_123 } });
  });

  it('accept a fault instead of a value: {"fault":"no_echo"} and every other sample fault code', () => {
    assert.deepEqual(parse('{"fault":"no_echo"}'), { ok: true, payload: { fault: { code: 'no_echo' } } });
    assert.deepEqual(parse('{"fault":"timeout","message":"trigger unanswered","unit":"floor","ts":1764000000}'), {
      ok: true,
      payload: { fault: { code: 'timeout', message: 'trigger unanswered' }, unit: 'floor', tsMs: 1_764_000_000_000 },
    });
    for (const code of ['blind_zone', 'out_of_range', 'checksum', 'suspect', 'io']) assert.equal(parse(`{"fault":"${code}"}`).ok, true, code);
    for (const [text, why] of [
      ['{"fault":"broken"}', /"fault" must be one of missing, /],
      ['{"fault":"no_echo","value":3}', /either "value" or "fault"/],
      ['{"fault":7}', /"fault" must be one of/],
      ['{"fault":"io","message":5}', /"message" must be text/],
    ] as const) {
      const r = parse(text);
      assert.ok(!r.ok && r.reason === 'wrong_type', text);
      assert.match(!r.ok ? r.detail : '', why);
    }
  });

  it('reject, with a reason, what is not a finite number of a known shape', () => {
    const reason = (text: string | Buffer, max?: number): string => {
      const r = parse(text, max);
      return r.ok ? 'accepted' : r.reason;
    };
    assert.equal(reason('x'.repeat(300), 256), 'oversized');
    assert.equal(reason(Buffer.from([0xff, 0xfe, 0x31])), 'malformed');
    assert.equal(reason(''), 'malformed');
    assert.equal(reason('0x1f'), 'malformed', 'no hex');
    assert.equal(reason('12abc'), 'malformed');
    assert.equal(reason('"12"'), 'malformed');
    assert.equal(reason('{"value":1'), 'malformed');
    assert.equal(reason('NaN'), 'not_finite');
    assert.equal(reason('-Infinity'), 'not_finite');
    assert.equal(reason('1e999'), 'not_finite');
    assert.equal(reason('{"value":1e999}'), 'not_finite');
    assert.equal(reason('{"value":"12"}'), 'wrong_type');
    assert.equal(reason('{"value":null}'), 'wrong_type');
    assert.equal(reason('{"temp":12}'), 'wrong_type');
    assert.equal(reason('{"value":1,"ts":"now"}'), 'wrong_type');
    assert.equal(reason('{"value":1,"unit":"Floor 1"}'), 'wrong_type');
    assert.equal(reason('{"value":1,"warmingUp":1}'), 'wrong_type');
  });

  it('reject every payload of the fuzz corpus (none slips through as a number)', () => {
    for (const payload of malformedPayloads(2_000)) {
      const r = parseNodePayload(payload, 4096);
      // Wrong only for the node it is sent to (a unit it lacks, true/false for a thermometer): rejected there.
      if (r.ok) assert.ok(r.payload.unit === 'nope' || typeof r.payload.value === 'boolean', `accepted: ${payload.toString('latin1')}`);
    }
  });
});
