/**
 * The sound of each buzzer signal and the look of each LED signal, as output
 * patterns (README "Alarms" lists them). Distinct on purpose: temporal-3 means
 * "get out" (gas), a double beep means water, a lone chirp means "look at me".
 * temporal-4 (the CO pattern) is deliberately not used: people who know it would
 * take a water leak for carbon monoxide.
 */
import { blink, chirp, definePattern, steady, temporal3, type OutputPattern } from '../../hardware/drivers/output-patterns.js';
import type { BuzzerSignal, LedSignal } from './annunciation.js';

const on = (ms: number) => ({ level: 1 as const, ms });
const off = (ms: number) => ({ level: 0 as const, ms });

export const BUZZER_PATTERNS: Readonly<Record<Exclude<BuzzerSignal, 'off'>, OutputPattern>> = {
  test: temporal3,
  gas_alarm: temporal3,
  water_leak: definePattern('water-leak', [on(200), off(200), on(200), off(2_400)], true),
  gas_warning: definePattern('gas-warning', [on(150), off(150), on(150), off(14_550)], true),
  trouble: chirp({ beepMs: 100, periodMs: 30_000 }),
  low_level: chirp({ beepMs: 100, periodMs: 60_000 }),
};

export const LED_PATTERNS: Readonly<Record<Exclude<LedSignal, 'off'>, OutputPattern>> = {
  steady,
  blink_fast: blink(250, 250),
  blink_slow: blink(1_000, 1_000),
};
