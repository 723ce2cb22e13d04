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

export const sensorFaultRule = z
  .strictObject({ minDuration: duration({ max: '1d' }).prefault('1m') })
  .transform(({ minDuration }) => ({ type: 'sensor_fault' as const, minDurationMs: minDuration }));

export type RuleName = 'lowLevel' | 'suddenDrop' | 'gas' | 'leak' | 'sensorFault';

/** `false` switches a rule off; `true` or a block (possibly empty) switches it on with defaults filled. */
function toggleable<S extends z.ZodType>(schema: S) {
  return z.union([z.boolean(), schema], { error: 'must be a block of settings, or false to switch the rule off' });
}

export const rulesSchema = z.strictObject({
  lowLevel: toggleable(lowLevelRule).optional(),
  suddenDrop: toggleable(suddenDropRule).optional(),
  gas: toggleable(gasRule).optional(),
  leak: toggleable(leakRule).optional(),
  sensorFault: toggleable(sensorFaultRule).optional(),
});

export type RulesInput = z.input<typeof rulesSchema>;
export type RulesOverride = z.output<typeof rulesSchema>;

/** The rules each kind of sensor has, on by default. */
export const RULES_FOR_KIND: Readonly<Record<SensorKind, readonly RuleName[]>> = {
  level: ['lowLevel', 'suddenDrop', 'sensorFault'],
  gas: ['gas', 'sensorFault'],
  leak: ['leak', 'sensorFault'],
  temperature: ['sensorFault'],
};

const DEFAULT_RULES = {
  lowLevel: lowLevelRule.parse({}),
  suddenDrop: suddenDropRule.parse({}),
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

/** The kind's rules with the user's overrides; switched-off rules are left out. */
export function resolveRules(kind: SensorKind, overrides: RulesOverride | undefined): ResolvedRules {
  const on = (name: RuleName): boolean => RULES_FOR_KIND[kind].includes(name);
  const o = overrides ?? {};
  const rules: ResolvedRules = {};
  const lowLevel = on('lowLevel') ? effective(o.lowLevel, DEFAULT_RULES.lowLevel) : undefined;
  if (lowLevel !== undefined) rules.lowLevel = lowLevel;
  const suddenDrop = on('suddenDrop') ? effective(o.suddenDrop, DEFAULT_RULES.suddenDrop) : undefined;
  if (suddenDrop !== undefined) rules.suddenDrop = suddenDrop;
  const gas = on('gas') ? effective(o.gas, DEFAULT_RULES.gas) : undefined;
  if (gas !== undefined) rules.gas = gas;
  const leak = on('leak') ? effective(o.leak, DEFAULT_RULES.leak) : undefined;
  if (leak !== undefined) rules.leak = leak;
  const sensorFault = on('sensorFault') ? effective(o.sensorFault, DEFAULT_RULES.sensorFault) : undefined;
  if (sensorFault !== undefined) rules.sensorFault = sensorFault;
  return rules;
}
