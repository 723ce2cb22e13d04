/**
 * Alert rules a user sets in the cloud and the gateway runs offline. Each targets
 * one sensor; `params` depend on `type`. The cloud bumps the gateway's config
 * version on every change so the sync agent pulls them (DeviceConfig, ETag).
 */
import { Type, type Static, type TProperties } from 'typebox';
import type { SensorKind } from './primitives.js';
import { formatPath, type Issue } from './issues.js';

const percent = Type.Number({ minimum: 0, maximum: 100 });

export const LowLevelParams = Type.Object(
  {
    /** Warn when the level falls to this percent of usable capacity. */
    warningPercent: percent,
    /** Critical below this (must be below warningPercent). */
    criticalPercent: percent,
  },
  { additionalProperties: false },
);
export const GasParams = Type.Object(
  {
    /** Warn at this %LEL (the MQ-6 is a supplementary sniffer, not a listed gas alarm). */
    warningLel: percent,
    /** Alarm at this %LEL (must be above warningLel). */
    alarmLel: percent,
  },
  { additionalProperties: false },
);
export const SuddenDropParams = Type.Object(
  {
    /** A fall of more than this many percentage points… */
    dropPercent: Type.Number({ exclusiveMinimum: 0, maximum: 100 }),
    /** …within this window is a possible leak. */
    windowMinutes: Type.Integer({ minimum: 1, maximum: 10_080 }),
  },
  { additionalProperties: false },
);
export const DeviceOfflineParams = Type.Object({}, { additionalProperties: false });

export const ALERT_RULE_TYPES = ['low_level', 'gas', 'sudden_drop', 'device_offline'] as const;
export type AlertRuleType = (typeof ALERT_RULE_TYPES)[number];

export const NotifyChannel = Type.Union([Type.Literal('email'), Type.Literal('push')]);
export type NotifyChannel = Static<typeof NotifyChannel>;
export const NotifyChannels = Type.Array(NotifyChannel, { maxItems: 2, uniqueItems: true });

/**
 * The union of the four rule shapes, each with `common` fields beside `type` and
 * `params` (a discriminated union on `type`, so errors name the right params).
 */
export function ruleUnion<P extends TProperties>(common: P) {
  return Type.Union([
    Type.Object({ ...common, type: Type.Literal('low_level'), params: LowLevelParams }, { additionalProperties: false }),
    Type.Object({ ...common, type: Type.Literal('gas'), params: GasParams }, { additionalProperties: false }),
    Type.Object({ ...common, type: Type.Literal('sudden_drop'), params: SuddenDropParams }, { additionalProperties: false }),
    Type.Object({ ...common, type: Type.Literal('device_offline'), params: DeviceOfflineParams }, { additionalProperties: false }),
  ]);
}

/** Just the rule: what type and what params. */
export const RuleBody = ruleUnion({});
export type RuleBody = Static<typeof RuleBody>;

/** Which sensors a rule type can watch. */
export function ruleFitsSensor(type: AlertRuleType, kind: SensorKind): boolean {
  switch (type) {
    case 'low_level':
    case 'sudden_drop':
      return kind === 'level';
    case 'gas':
      return kind === 'gas';
    case 'device_offline':
      return true;
  }
}

/** Cross-field rules the schema cannot state. */
export function checkRuleParams(rule: RuleBody, path: readonly (string | number)[] = ['params']): Issue[] {
  const at = (field: string): string => formatPath([...path, field]);
  switch (rule.type) {
    case 'low_level':
      return rule.params.criticalPercent < rule.params.warningPercent
        ? []
        : [{ path: at('criticalPercent'), message: `must be below warningPercent (${rule.params.warningPercent}): critical means emptier` }];
    case 'gas':
      return rule.params.alarmLel > rule.params.warningLel
        ? []
        : [{ path: at('alarmLel'), message: `must be above warningLel (${rule.params.warningLel})` }];
    case 'sudden_drop':
    case 'device_offline':
      return [];
  }
}
