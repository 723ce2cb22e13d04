/**
 * What the buzzer and the two LEDs should be doing, decided from the alarm book
 * alone (pure). The annunciator turns the names into output patterns.
 *
 * Buzzer, highest priority first (README "Alarms" documents the sounds):
 *   test         temporal-3 for the test duration
 *   gas_alarm    temporal-3 (evacuate) — gas at or above the alarm level
 *   water_leak   double beep every 3 s — a leak contact is wet
 *   gas_warning  two short beeps every 15 s — gas above the warning level
 *   trouble      one chirp every 30 s — the gas sniffer is faulty, or a tank level dropped suddenly
 *   low_level    one chirp every 60 s — a tank is critically low
 *   off          nothing sounding (silenced alarms and warnings show on the LEDs only)
 *
 * Red LED: steady while a critical alarm sounds; fast blink for a sounding
 * warning; slow blink while any alarm is silenced but still active; off otherwise.
 * Green LED: steady when every sensor is healthy; slow blink when one is not
 * (warming up, faulty, stale); off only when the gateway is stopped.
 */
import type { ActiveAlarm, AlarmBook } from './alarm-book.js';
import { isSounding } from './alarm-book.js';

export type BuzzerSignal = 'off' | 'test' | 'gas_alarm' | 'water_leak' | 'gas_warning' | 'trouble' | 'low_level';
export type LedSignal = 'off' | 'steady' | 'blink_fast' | 'blink_slow';

export interface Annunciation {
  readonly buzzer: BuzzerSignal;
  readonly red: LedSignal;
  readonly green: LedSignal;
}

function buzzerFor(alarm: ActiveAlarm): BuzzerSignal {
  switch (alarm.condition) {
    case 'gas':
      return alarm.severity === 'critical' ? 'gas_alarm' : alarm.severity === 'warning' ? 'gas_warning' : 'off';
    case 'water_leak':
      return alarm.severity === 'info' ? 'off' : 'water_leak';
    case 'sensor_fault':
      return alarm.severity === 'critical' ? 'trouble' : 'off';
    case 'sudden_drop':
    case 'possible_leak':
      return alarm.severity === 'info' ? 'off' : 'trouble';
    case 'low_level':
      return alarm.severity === 'critical' ? 'low_level' : 'off';
  }
}

const BUZZER_PRIORITY: readonly BuzzerSignal[] = ['test', 'gas_alarm', 'water_leak', 'gas_warning', 'trouble', 'low_level', 'off'];

export function annunciationFor(book: AlarmBook, mono: number, allSensorsHealthy: boolean): Annunciation {
  let best = BUZZER_PRIORITY.length - 1;
  let criticalSounding = false;
  let warningSounding = false;
  let silenced = false;
  if (book.testUntil !== undefined && book.testUntil > mono) best = 0;
  for (const alarm of book.alarms.values()) {
    if (!isSounding(alarm)) {
      silenced = true;
      continue;
    }
    if (alarm.severity === 'critical') criticalSounding = true;
    if (alarm.severity === 'warning') warningSounding = true;
    best = Math.min(best, BUZZER_PRIORITY.indexOf(buzzerFor(alarm)));
  }
  const testing = best === 0;
  const red: LedSignal =
    criticalSounding || testing ? 'steady' : warningSounding ? 'blink_fast' : silenced ? 'blink_slow' : 'off';
  return {
    buzzer: BUZZER_PRIORITY[best] ?? 'off',
    red,
    green: testing || allSensorsHealthy ? 'steady' : 'blink_slow',
  };
}
