import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { ConditionEvent } from '../pipeline/types.js';
import { applyCondition, emptyBook, isSounding, nextDeadline, silence, startTest, tick, type AlarmBook } from './alarm-book.js';
import { annunciationFor } from './annunciation.js';

function event(over: Partial<ConditionEvent>): ConditionEvent {
  return {
    sensorId: 'kitchen-gas',
    condition: 'gas',
    state: 'raised',
    severity: 'critical',
    severe: false,
    at: 1_000,
    mono: 1_000,
    clockSynced: true,
    message: 'gas',
    ...over,
  };
}

function apply(book: AlarmBook, ...events: ConditionEvent[]): AlarmBook {
  return events.reduce((b, e) => applyCondition(b, e).book, book);
}

const HUSH = 5 * 60_000;

describe('alarm book', () => {
  it('raises, silences, sounds again after the hush while still active, then clears', () => {
    let book = apply(emptyBook, event({}));
    assert.equal(annunciationFor(book, 0, true).buzzer, 'gas_alarm');

    const hushed = silence(book, 10_000, HUSH);
    assert.deepEqual(hushed.changes.map((c) => c.type), ['silenced']);
    book = hushed.book;
    assert.equal(annunciationFor(book, 10_000, true).buzzer, 'off');
    assert.equal(annunciationFor(book, 10_000, true).red, 'blink_slow');
    assert.equal(nextDeadline(book), 10_000 + HUSH);

    // One millisecond early: still quiet.
    assert.deepEqual(tick(book, 10_000 + HUSH - 1).changes, []);
    const resounded = tick(book, 10_000 + HUSH);
    assert.deepEqual(resounded.changes.map((c) => c.type), ['resounded']);
    book = resounded.book;
    assert.equal(annunciationFor(book, 10_000 + HUSH, true).buzzer, 'gas_alarm');

    book = apply(book, event({ state: 'cleared' }));
    assert.equal(book.alarms.size, 0);
    assert.deepEqual(annunciationFor(book, 0, true), { buzzer: 'off', red: 'off', green: 'steady' });
  });

  it('refuses to silence a severe alarm and keeps it sounding', () => {
    const book = apply(emptyBook, event({ severe: true }));
    const result = silence(book, 0, HUSH);
    assert.deepEqual(result.changes.map((c) => c.type), ['silence_refused']);
    assert.equal(annunciationFor(result.book, 0, true).buzzer, 'gas_alarm');
  });

  it('sounds again at once when a silenced alarm escalates', () => {
    let book = apply(emptyBook, event({ severity: 'warning' }));
    book = silence(book, 0, HUSH).book;
    assert.equal(annunciationFor(book, 1, true).buzzer, 'off');
    const escalated = applyCondition(book, event({ severity: 'critical' }));
    assert.deepEqual(escalated.changes.map((c) => c.type), ['escalated']);
    assert.ok(isSounding(escalated.book.alarms.get('kitchen-gas:gas')!));
    assert.equal(annunciationFor(escalated.book, 1, true).buzzer, 'gas_alarm');
    // Becoming severe while silenced counts as escalation too.
    const hushedAgain = silence(escalated.book, 2, HUSH).book;
    const severe = applyCondition(hushedAgain, event({ severity: 'critical', severe: true }));
    assert.deepEqual(severe.changes.map((c) => c.type), ['escalated']);
  });

  it('keeps a silence through a de-escalation', () => {
    let book = apply(emptyBook, event({}));
    book = silence(book, 0, HUSH).book;
    const updated = applyCondition(book, event({ severity: 'warning' }));
    assert.deepEqual(updated.changes.map((c) => c.type), ['updated']);
    assert.equal(updated.book.alarms.get('kitchen-gas:gas')?.silencedUntil, HUSH);
  });

  it('picks the buzzer signal by priority and the LEDs by severity', () => {
    const book = apply(
      emptyBook,
      event({ sensorId: 'lpg', condition: 'low_level', severity: 'critical' }),
      event({ sensorId: 'sink', condition: 'water_leak', severity: 'critical' }),
    );
    assert.deepEqual(annunciationFor(book, 0, false), { buzzer: 'water_leak', red: 'steady', green: 'blink_slow' });
    const warningOnly = apply(emptyBook, event({ sensorId: 'lpg', condition: 'low_level', severity: 'warning' }));
    assert.deepEqual(annunciationFor(warningOnly, 0, true), { buzzer: 'off', red: 'blink_fast', green: 'steady' });
    const trouble = apply(emptyBook, event({ condition: 'sensor_fault', severity: 'critical' }));
    assert.equal(annunciationFor(trouble, 0, true).buzzer, 'trouble');
  });

  it('runs a test alarm for its duration, and a hush ends it', () => {
    let book = startTest(emptyBook, 0, 5_000);
    assert.equal(annunciationFor(book, 4_999, true).buzzer, 'test');
    assert.equal(nextDeadline(book), 5_000);
    book = tick(book, 5_000).book;
    assert.equal(book.testUntil, undefined);
    assert.equal(annunciationFor(book, 5_000, true).buzzer, 'off');
    const hushed = silence(startTest(emptyBook, 0, 5_000), 1, HUSH).book;
    assert.equal(annunciationFor(hushed, 2, true).buzzer, 'off');
  });

  it('ignores a clear for an alarm it does not have', () => {
    const result = applyCondition(emptyBook, event({ state: 'cleared' }));
    assert.equal(result.book, emptyBook);
    assert.deepEqual(result.changes, []);
  });
});
