/**
 * The alarm state machine, as pure functions over an immutable book of active
 * alarms. Per alarm: raised → sounding; silence → silenced until the hush time
 * ends, then sounding again if still active; above the severe level silence is
 * refused; cleared → gone. Escalation (warning → critical, or becoming severe)
 * cancels a silence. Nothing here is persisted on purpose: after a restart every
 * alarm that is still true is raised again by fresh readings and sounds — a
 * restart never silences.
 */
import type { ConditionEvent, ConditionKind, Severity } from '../pipeline/types.js';

export interface ActiveAlarm {
  readonly key: string;
  readonly sensorId: string;
  readonly condition: ConditionKind;
  readonly severity: Severity;
  readonly severe: boolean;
  readonly message: string;
  readonly value?: number;
  readonly unit?: string;
  /** Wall-clock time of the first raise (for display and the store). */
  readonly raisedAt: number;
  /** Monotonic time until which it is silenced; undefined while sounding. */
  readonly silencedUntil?: number;
}

export interface AlarmBook {
  readonly alarms: ReadonlyMap<string, ActiveAlarm>;
  /** A test alarm sounds until this monotonic time (`easygas alarm test`, the button). */
  readonly testUntil?: number;
}

/** What changed, for logs, events and MQTT; the annunciator only needs the book. */
export type AlarmChange =
  | { readonly type: 'raised' | 'escalated' | 'updated' | 'cleared'; readonly alarm: ActiveAlarm }
  | { readonly type: 'silenced' | 'resounded'; readonly alarm: ActiveAlarm }
  | { readonly type: 'silence_refused'; readonly alarm: ActiveAlarm };

export const emptyBook: AlarmBook = Object.freeze({ alarms: new Map<string, ActiveAlarm>() });

export function alarmKey(sensorId: string, condition: ConditionKind): string {
  return `${sensorId}:${condition}`;
}

const RANK: Readonly<Record<Severity, number>> = { info: 0, warning: 1, critical: 2 };

export function isSounding(alarm: ActiveAlarm): boolean {
  return alarm.silencedUntil === undefined;
}

function withAlarms(book: AlarmBook, alarms: Map<string, ActiveAlarm>): AlarmBook {
  return book.testUntil === undefined ? { alarms } : { alarms, testUntil: book.testUntil };
}

/** Applies a rule's verdict. Info-level conditions are recorded but never sound. */
export function applyCondition(book: AlarmBook, event: ConditionEvent): { book: AlarmBook; changes: AlarmChange[] } {
  const key = alarmKey(event.sensorId, event.condition);
  const existing = book.alarms.get(key);
  const alarms = new Map(book.alarms);
  if (event.state === 'cleared') {
    if (existing === undefined) return { book, changes: [] };
    alarms.delete(key);
    return { book: withAlarms(book, alarms), changes: [{ type: 'cleared', alarm: existing }] };
  }
  const base = {
    key,
    sensorId: event.sensorId,
    condition: event.condition,
    severity: event.severity,
    severe: event.severe,
    message: event.message,
    ...(event.value !== undefined ? { value: event.value } : {}),
    ...(event.unit !== undefined ? { unit: event.unit } : {}),
  };
  if (existing === undefined) {
    const alarm: ActiveAlarm = { ...base, raisedAt: event.at };
    alarms.set(key, alarm);
    return { book: withAlarms(book, alarms), changes: [{ type: 'raised', alarm }] };
  }
  const escalated = RANK[event.severity] > RANK[existing.severity] || (event.severe && !existing.severe);
  if (escalated) {
    // Worse than when it was hushed: sound again now.
    const alarm: ActiveAlarm = { ...base, raisedAt: existing.raisedAt };
    alarms.set(key, alarm);
    return { book: withAlarms(book, alarms), changes: [{ type: 'escalated', alarm }] };
  }
  const alarm: ActiveAlarm = {
    ...base,
    raisedAt: existing.raisedAt,
    ...(existing.silencedUntil !== undefined ? { silencedUntil: existing.silencedUntil } : {}),
  };
  alarms.set(key, alarm);
  return { book: withAlarms(book, alarms), changes: [{ type: 'updated', alarm }] };
}

/**
 * The hush: every sounding alarm that may be silenced goes quiet for `hushMs`;
 * severe ones are refused and keep sounding. Also ends a running test.
 */
export function silence(book: AlarmBook, mono: number, hushMs: number): { book: AlarmBook; changes: AlarmChange[] } {
  const alarms = new Map(book.alarms);
  const changes: AlarmChange[] = [];
  for (const alarm of book.alarms.values()) {
    if (!isSounding(alarm) || alarm.severity === 'info') continue;
    if (alarm.severe) {
      changes.push({ type: 'silence_refused', alarm });
      continue;
    }
    const silenced: ActiveAlarm = { ...alarm, silencedUntil: mono + hushMs };
    alarms.set(alarm.key, silenced);
    changes.push({ type: 'silenced', alarm: silenced });
  }
  return { book: { alarms }, changes };
}

/** Ends hushes whose time is up and a finished test. */
export function tick(book: AlarmBook, mono: number): { book: AlarmBook; changes: AlarmChange[] } {
  let alarms: Map<string, ActiveAlarm> | undefined;
  const changes: AlarmChange[] = [];
  for (const alarm of book.alarms.values()) {
    if (alarm.silencedUntil !== undefined && alarm.silencedUntil <= mono) {
      alarms ??= new Map(book.alarms);
      const { silencedUntil: _ended, ...resounding } = alarm;
      alarms.set(alarm.key, resounding);
      changes.push({ type: 'resounded', alarm: resounding });
    }
  }
  const testOver = book.testUntil !== undefined && book.testUntil <= mono;
  if (alarms === undefined && !testOver) return { book, changes };
  const next = alarms ?? new Map(book.alarms);
  return { book: testOver ? { alarms: next } : withAlarms(book, next), changes };
}

export function startTest(book: AlarmBook, mono: number, durationMs: number): AlarmBook {
  return { alarms: book.alarms, testUntil: mono + durationMs };
}

/** The next monotonic instant at which tick() would change something. */
export function nextDeadline(book: AlarmBook): number | undefined {
  let next = book.testUntil;
  for (const alarm of book.alarms.values()) {
    if (alarm.silencedUntil !== undefined && (next === undefined || alarm.silencedUntil < next)) {
      next = alarm.silencedUntil;
    }
  }
  return next;
}
