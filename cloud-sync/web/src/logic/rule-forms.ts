/** Alert rule types as a form shows them: which fit a sensor, their fields, defaults and a one-line summary. */
import type { AlertRuleType, SensorKind } from '../api/types.js';

export interface ParamField {
  readonly key: string;
  readonly label: string;
  readonly unit: string;
  readonly min: number;
  readonly max: number;
  readonly step: number;
  readonly default: number;
}

export const RULE_TYPES: Readonly<Record<AlertRuleType, { readonly label: string; readonly fits: readonly SensorKind[]; readonly fields: readonly ParamField[] }>> = {
  low_level: {
    label: 'Low level',
    fits: ['level'],
    fields: [
      { key: 'warningPercent', label: 'Warn below', unit: '%', min: 0, max: 100, step: 1, default: 20 },
      { key: 'criticalPercent', label: 'Critical below', unit: '%', min: 0, max: 100, step: 1, default: 10 },
    ],
  },
  sudden_drop: {
    label: 'Sudden drop (a leak or theft)',
    fits: ['level'],
    fields: [
      { key: 'dropPercent', label: 'A fall of more than', unit: 'points', min: 0.5, max: 100, step: 0.5, default: 10 },
      { key: 'windowMinutes', label: 'Within', unit: 'minutes', min: 1, max: 10_080, step: 1, default: 60 },
    ],
  },
  gas: {
    label: 'Gas',
    fits: ['gas'],
    fields: [
      { key: 'warningLel', label: 'Warn at', unit: '%LEL', min: 0, max: 100, step: 1, default: 10 },
      { key: 'alarmLel', label: 'Alarm at', unit: '%LEL', min: 0, max: 100, step: 1, default: 25 },
    ],
  },
  device_offline: { label: 'Gateway offline', fits: ['level', 'gas', 'leak', 'temperature'], fields: [] },
};

export function typesFor(kind: SensorKind): AlertRuleType[] {
  return (Object.keys(RULE_TYPES) as AlertRuleType[]).filter((t) => RULE_TYPES[t].fits.includes(kind));
}

export function defaultParams(type: AlertRuleType): Record<string, string> {
  return Object.fromEntries(RULE_TYPES[type].fields.map((f) => [f.key, String(f.default)]));
}

/** Numbers from the form, or the field messages to show (the cross-field rules the API also checks). */
export function parseParams(type: AlertRuleType, values: Readonly<Record<string, string>>): { params: Record<string, number> } | { errors: Record<string, string> } {
  const params: Record<string, number> = {};
  const errors: Record<string, string> = {};
  for (const f of RULE_TYPES[type].fields) {
    const text = (values[f.key] ?? '').trim();
    const n = Number(text);
    if (text === '' || !Number.isFinite(n)) errors[f.key] = 'Enter a number.';
    else if (n < f.min || n > f.max) errors[f.key] = `Between ${f.min} and ${f.max} ${f.unit}.`;
    else params[f.key] = n;
  }
  if (type === 'low_level' && params.criticalPercent !== undefined && params.warningPercent !== undefined && params.criticalPercent >= params.warningPercent) {
    errors.criticalPercent = 'Critical means emptier: set it below the warning level.';
  }
  if (type === 'gas' && params.alarmLel !== undefined && params.warningLel !== undefined && params.alarmLel <= params.warningLel) {
    errors.alarmLel = 'The alarm must be above the warning.';
  }
  if (type === 'sudden_drop' && params.windowMinutes !== undefined && !Number.isInteger(params.windowMinutes)) errors.windowMinutes = 'Whole minutes.';
  return Object.keys(errors).length > 0 ? { errors } : { params };
}

export function ruleSummary(type: string, params: Readonly<Record<string, number>>): string {
  switch (type) {
    case 'low_level':
      return `Warn below ${params.warningPercent} %, critical below ${params.criticalPercent} %`;
    case 'gas':
      return `Warn at ${params.warningLel} %LEL, alarm at ${params.alarmLel} %LEL`;
    case 'sudden_drop':
      return `A fall of more than ${params.dropPercent} points within ${params.windowMinutes} minutes`;
    case 'device_offline':
      return 'When the gateway stops reporting';
    default:
      return type;
  }
}
