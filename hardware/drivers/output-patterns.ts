import type { Level } from '../ports/digital.js';

/**
 * Buzzer and LED patterns as data: a list of { level, ms } steps, played in
 * order and, for a repeating pattern, over again. The gateway picks one per
 * alarm kind; PatternPlayer plays it on a DigitalOutput.
 *
 * | pattern         | steps (on/off ms)                         | cycle    | meaning                                   |
 * |-----------------|-------------------------------------------|----------|-------------------------------------------|
 * | temporal3       | 500/500, 500/500, 500/1500                | 4 s      | evacuate (ANSI S3.41, ISO 8201; fire):     |
 * |                 |                                           |          | the one for a gas leak at alarm level      |
 * | temporal4       | 100/100, 100/100, 100/100, 100/5000       | 5.7 s    | CO alarm (UL 2034 / NFPA 720); people who  |
 * |                 |                                           |          | know it will leave the house: use with care|
 * | chirp()         | 100 on, then off to a 60 s period         | 60 s     | low level / needs attention: not an alarm  |
 * | steady          | on, no end                                | —        | LED: condition present; never for a buzzer |
 * | blink(on, off)  | on/off                                    | on + off | LEDs: warning (e.g. 500/500), fault, etc.  |
 *
 * Timing notes: the last "off" of each temporal group is the long pause (it
 * replaces, not follows, the short off): temporal3's edges are at 0, 500, 1000,
 * 1500, 2000, 2500 and again at 4000 ms; temporal4's at 0, 100 … 700 and again at
 * 5700 ms. Both standards allow ±10 %, so a 5.0 s or 5.1 s CO pause are both in.
 * A non-repeating pattern ends with the output off.
 */
export interface PatternStep {
  readonly level: Level;
  /** How long the step lasts; Infinity holds it until the pattern is replaced or stopped. */
  readonly ms: number;
}

export interface OutputPattern {
  /** A stable name for status, logs and MQTT, e.g. "temporal3". */
  readonly name: string;
  readonly steps: readonly PatternStep[];
  readonly repeat: boolean;
}

/** Validates and freezes a pattern: at least one step, every ms > 0, a repeating cycle finite. */
export function definePattern(name: string, steps: readonly PatternStep[], repeat: boolean): OutputPattern {
  if (steps.length === 0) throw new RangeError(`pattern ${name}: needs at least one step`);
  for (const [i, step] of steps.entries()) {
    if (!(step.ms > 0)) throw new RangeError(`pattern ${name}: step ${i} lasts ${step.ms} ms; it must be > 0`);
    if (step.level !== 0 && step.level !== 1) throw new RangeError(`pattern ${name}: step ${i} level must be 0 or 1`);
  }
  if (repeat && !steps.every((s) => Number.isFinite(s.ms))) {
    throw new RangeError(`pattern ${name}: a repeating pattern needs finite steps`);
  }
  return Object.freeze({
    name,
    steps: Object.freeze(steps.map((s) => Object.freeze({ level: s.level, ms: s.ms }))),
    repeat,
  });
}

const on = (ms: number): PatternStep => ({ level: 1, ms });
const off = (ms: number): PatternStep => ({ level: 0, ms });

/** Fire / evacuate: three 0.5 s beeps, 0.5 s apart, then 1.5 s off (cycle 4 s). */
export const temporal3: OutputPattern = definePattern(
  'temporal3',
  [on(500), off(500), on(500), off(500), on(500), off(1500)],
  true,
);

/** CO-style: four 100 ms beeps, 100 ms apart, then 5 s off (cycle 5.7 s). */
export const temporal4: OutputPattern = definePattern(
  'temporal4',
  [on(100), off(100), on(100), off(100), on(100), off(100), on(100), off(5000)],
  true,
);

/** One short beep every `periodMs` (start to start): low level, attention needed. */
export function chirp(options: { beepMs?: number; periodMs?: number } = {}): OutputPattern {
  const beepMs = options.beepMs ?? 100;
  const periodMs = options.periodMs ?? 60_000;
  if (!(periodMs > beepMs)) throw new RangeError(`chirp: period ${periodMs} ms must exceed the beep ${beepMs} ms`);
  return definePattern(`chirp(${beepMs},${periodMs})`, [on(beepMs), off(periodMs - beepMs)], true);
}

/** On until replaced or stopped (an LED showing a condition). */
export const steady: OutputPattern = definePattern('steady', [on(Infinity)], false);

/** On for `onMs`, off for `offMs`, repeating (LEDs). */
export function blink(onMs: number, offMs: number): OutputPattern {
  return definePattern(`blink(${onMs},${offMs})`, [on(onMs), off(offMs)], true);
}
