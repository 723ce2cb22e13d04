/**
 * A sensor's `rules`: which conditions it raises and at what thresholds. Each rule
 * parses into the pipeline's RuleSpec; a rule set to `false` is switched off, and a
 * rule left out takes the defaults of the sensor's kind.
 */
import { z } from 'zod';
import type { SensorKind } from '../../pipeline/types.js';
import { duration } from './primitives.js';

const percent = z.number().min(0, { error: 'must be a percentage, 0 or more' }).max(100, { error: 'must be a percentage, at most 100' });

export const lowLevelRule = z
  .strictObject({
    warningPercent: percent.default(20),
    criticalPercent: percent.default(10),
    hysteresisPercent: percent.default(3),
    minDuration: duration({ max: '1d' }).prefault('5m'),
  })
  .transform(({ minDuration, ...rest }) => ({ type: 'low_level' as const, ...rest, minDurationMs: minDuration }));

export const suddenDropRule = z
  .strictObject({
    dropPercent: percent.default(15),
    window: duration({ min: '1m', max: '1d' }).prefault('10m'),
  })
  .transform(({ dropPercent, window }) => ({ type: 'sudden_drop' as const, dropPercent, windowMs: window }));

export const gasRule = z
  .strictObject({
    warningLel: percent.default(10),
    alarmLel: percent.default(25),
    severeLel: percent.default(50),
    hysteresisLel: percent.default(3),
    minDuration: duration({ max: '5m' }).prefault(0),
  })
  .transform(({ minDuration, ...rest }) => ({ type: 'gas' as const, ...rest, minDurationMs: minDuration }));

export const leakRule = z
  .strictObject({ minDuration: duration({ max: '1h' }).prefault(0) })
  .transform(({ minDuration }) => ({ type: 'leak' as const, minDurationMs: minDuration }));

const clockTime = z
  .string({ error: 'must be a local time like "02:00"' })
  .regex(/^([01]\d|2[0-3]):(00|30)$/, { error: 'must be a local time on the hour or half hour, like "02:00" or "23:30"' })
  .transform((t) => Number(t.slice(0, 2)) * 60 + Number(t.slice(3)));

const timeZone = z.string().refine(
  (zone) => {
    try {
      new Intl.DateTimeFormat('en', { timeZone: zone });
      return true;
    } catch {
      return false;
    }
  },
  { error: 'must be an IANA time zone like "Europe/London"' },
);

const quietHours = z
  .strictObject({ from: clockTime.prefault('02:00'), to: clockTime.prefault('05:00'), minLossPercent: percent.default(0.6) })
  .superRefine(({ from, to }, ctx) => {
    const minutes = (((to - from) % 1440) + 1440) % 1440;
    if (minutes < 120 || minutes > 720) ctx.addIssue({ code: 'custom', path: ['to'], message: 'the quiet hours must last 2 to 12 hours' });
  })
  .transform(({ from, to, minLossPercent }) => ({ fromMinute: from, toMinute: to, minLossPercent }));

const steadyDecline = z
  .strictObject({
    window: duration({ min: '2h', max: '12h' })
      .prefault('4h')
      .refine((ms) => ms % 1_800_000 === 0, { error: 'must be whole half hours, like "3h" or "270m"' }),
    minPercentPerHour: percent.default(0.15),
  })
  .transform(({ window, minPercentPerHour }) => ({ windowMs: window, minPercentPerHour }));

/** Possible slow leak (gateway/pipeline/leak-watch.ts); `false` switches a part off. */
export const leakWatchRule = z
  .strictObject({
    quietHours: z.union([z.literal(false), quietHours], { error: 'must be a block (from, to, minLossPercent), or false' }).prefault({}),
    steadyDecline: z.union([z.literal(false), steadyDecline], { error: 'must be a block (window, minPercentPerHour), or false' }).prefault({}),
    /** Default: the gateway's own time zone. */
    timeZone: timeZone.optional(),
  })
  .transform(({ quietHours: q, steadyDecline: s, timeZone: zone }) => ({
    type: 'leak_watch' as const,
    ...(zone === undefined ? {} : { timeZone: zone }),
    ...(q === false ? {} : { quietHours: q }),
    ...(s === false ? {} : { steadyDecline: s }),
  }));

export const sensorFaultRule = z
  .strictObject({ minDuration: duration({ max: '1d' }).prefault('1m') })
  .transform(({ minDuration }) => ({ type: 'sensor_fault' as const, minDurationMs: minDuration }));

export type RuleName = 'lowLevel' | 'suddenDrop' | 'leakWatch' | 'gas' | 'leak' | 'sensorFault';

/** `false` switches a rule off; `true` or a block (possibly empty) switches it on with defaults filled. */
function toggleable<S extends z.ZodType>(schema: S) {
  return z.union([z.boolean(), schema], { error: 'must be a block of settings, or false to switch the rule off' });
}

export const rulesSchema = z.strictObject({
  lowLevel: toggleable(lowLevelRule).optional(),
  suddenDrop: toggleable(suddenDropRule).optional(),
  leakWatch: toggleable(leakWatchRule).optional(),
  gas: toggleable(gasRule).optional(),
  leak: toggleable(leakRule).optional(),
  sensorFault: toggleable(sensorFaultRule).optional(),
});

export type RulesInput = z.input<typeof rulesSchema>;
export type RulesOverride = z.output<typeof rulesSchema>;

/** The rules each kind of sensor has, on by default. */
export const RULES_FOR_KIND: Readonly<Record<SensorKind, readonly RuleName[]>> = {
  level: ['lowLevel', 'suddenDrop', 'leakWatch', 'sensorFault'],
  gas: ['gas', 'sensorFault'],
  leak: ['leak', 'sensorFault'],
  temperature: ['sensorFault'],
};

const DEFAULT_RULES = {
  lowLevel: lowLevelRule.parse({}),
  suddenDrop: suddenDropRule.parse({}),
  leakWatch: leakWatchRule.parse({}),
  gas: gasRule.parse({}),
  leak: leakRule.parse({}),
  sensorFault: sensorFaultRule.parse({}),
};

export type ResolvedRules = {
  -readonly [K in RuleName]?: (typeof DEFAULT_RULES)[K];
};

/** A rule's effective settings: undefined when switched off. */
function effective<T>(given: T | boolean | undefined, fallback: T): T | undefined {
  if (given === false) return undefined;
  return given === undefined || given === true ? fallback : given;
}

/**
 * The kind's rules with the user's overrides; switched-off rules are left out. The leak
 * watch is on by default only for a water tank (filled to 100 %, not LPG's 80 %).
 */
export function resolveRules(kind: SensorKind, overrides: RulesOverride | undefined, waterTank = false): ResolvedRules {
  const on = (name: RuleName): boolean => RULES_FOR_KIND[kind].includes(name);
  const o = overrides ?? {};
  const rules: ResolvedRules = {};
  const lowLevel = on('lowLevel') ? effective(o.lowLevel, DEFAULT_RULES.lowLevel) : undefined;
  if (lowLevel !== undefined) rules.lowLevel = lowLevel;
  const suddenDrop = on('suddenDrop') ? effective(o.suddenDrop, DEFAULT_RULES.suddenDrop) : undefined;
  if (suddenDrop !== undefined) rules.suddenDrop = suddenDrop;
  const leakWatch = on('leakWatch') && (waterTank || o.leakWatch !== undefined) ? effective(o.leakWatch, DEFAULT_RULES.leakWatch) : undefined;
  if (leakWatch !== undefined) rules.leakWatch = leakWatch;
  const gas = on('gas') ? effective(o.gas, DEFAULT_RULES.gas) : undefined;
  if (gas !== undefined) rules.gas = gas;
  const leak = on('leak') ? effective(o.leak, DEFAULT_RULES.leak) : undefined;
  if (leak !== undefined) rules.leak = leak;
  const sensorFault = on('sensorFault') ? effective(o.sensorFault, DEFAULT_RULES.sensorFault) : undefined;
  if (sensorFault !== undefined) rules.sensorFault = sensorFault;
  return rules;
}
