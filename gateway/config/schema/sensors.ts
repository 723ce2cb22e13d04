/**
 * One entry of `sensors:` — what it is (kind), where its values come from (source),
 * and how they become a reading (calibration, level, filter, health, rules). The
 * parsed sensor has every per-kind default filled in except filter and health,
 * which pipeline-spec.ts completes.
 */
import { z } from 'zod';
import { ULTRASONIC_MODELS, type UltrasonicModel } from '../../../hardware/drivers/ultrasonic-frame.js';
import type { SensorKind } from '../../pipeline/types.js';
import { calibrationSchema, levelSchema, R0_MESSAGE, type CalibrationConfig, type LevelConfig } from './calibration.js';
import { duration, nonEmptyText, parseDuration, slug } from './primitives.js';
import { resolveRules, RULES_FOR_KIND, rulesSchema, type RuleName } from './rules.js';
import { evenWhenPartsFail, partsOf, type Parts } from './sound-parts.js';
import { DRIVERS_FOR_KIND, sourceSchema, type Driver } from './sources.js';
import { filterSchema, healthSchema } from './tuning.js';

export const SENSOR_KINDS = ['level', 'gas', 'leak', 'temperature'] as const satisfies readonly SensorKind[];

/** How often each kind is sampled unless `interval` says otherwise. */
export const DEFAULT_INTERVAL: Readonly<Record<SensorKind, string>> = {
  gas: '2s',
  level: '30s',
  temperature: '60s',
  leak: '1s',
};

const sensorFields = z.strictObject({
  id: slug,
  /** What the homeowner calls it: alarms say "Gas at Kitchen sniffer". */
  name: nonEmptyText,
  kind: z.enum(SENSOR_KINDS),
  interval: duration({ min: '100ms', max: '1d' }).optional(),
  source: sourceSchema,
  calibration: calibrationSchema.optional(),
  level: levelSchema.optional(),
  filter: filterSchema.optional(),
  health: healthSchema.optional(),
  rules: rulesSchema.optional(),
});

type SensorFields = z.output<typeof sensorFields>;

/** The source's driver and model, when those fields parsed (other source fields may not have). */
function driverOf(value: SensorFields, parts: Parts): { driver?: Driver; model?: UltrasonicModel } {
  const source = value.source as Partial<Record<string, unknown>> | undefined;
  if (source === undefined || !parts.sound('source', 'driver')) return {};
  const model = parts.sound('source', 'model') && typeof source.model === 'string' ? (source.model as UltrasonicModel) : undefined;
  return { driver: source.driver as Driver, ...(model === undefined ? {} : { model }) };
}

function checkKindAndDriver(value: SensorFields, parts: Parts): void {
  const { driver } = driverOf(value, parts);
  if (!parts.sound('kind') || driver === undefined) return;
  const allowed = DRIVERS_FOR_KIND[value.kind];
  if (!allowed.includes(driver)) {
    parts.issue(['source', 'driver'], `a ${value.kind} sensor cannot use the ${driver} driver; use ${allowed.join(', ')}`);
  }
}

function checkLevel(value: SensorFields, parts: Parts): void {
  if (!parts.sound('level')) return;
  const { level } = value;
  if (parts.sound('kind')) {
    if (value.kind === 'level' && level === undefined) {
      parts.issue(['level'], 'missing — a level sensor needs its tank: level: { measures: …, tank: { shape: … } }');
    }
    if (value.kind !== 'level' && level !== undefined) {
      parts.issue(['level'], `only level sensors have a tank; remove it from this ${value.kind} sensor`);
    }
  }
  if (level === undefined) return;
  const { driver, model } = driverOf(value, parts);
  if (driver === 'ultrasonic' && level.measures !== 'distance_mm') {
    parts.issue(['level', 'measures'], 'must be distance_mm for an ultrasonic sensor: it measures the distance down to the surface');
    return;
  }
  if (level.measures !== 'distance_mm') return;
  if (level.mountHeightMm === undefined) {
    parts.issue(['level', 'mountHeightMm'], 'missing — the height of the sensor face above the tank floor, in mm');
    return;
  }
  const spec = driver === 'ultrasonic' && model !== undefined ? ULTRASONIC_MODELS[model] : undefined;
  const blind = level.blindZoneMm ?? spec?.blindZoneMm ?? 0;
  if (level.mountHeightMm <= blind) {
    parts.issue(
      ['level', 'mountHeightMm'],
      `must be above the blind zone (${blind} mm${spec === undefined ? '' : ` for the ${spec.model}`}): nothing closer can be measured`,
    );
  }
}

const RULE_NAMES: readonly RuleName[] = ['lowLevel', 'suddenDrop', 'leakWatch', 'gas', 'leak', 'sensorFault'];

function checkRules(value: SensorFields, parts: Parts): void {
  const given = value.rules as Partial<Record<RuleName, unknown>> | undefined;
  if (given === undefined || typeof given !== 'object' || !parts.sound('kind')) return;
  const own = RULES_FOR_KIND[value.kind];
  const soundRules: Record<string, unknown> = {};
  for (const name of RULE_NAMES) {
    if (given[name] === undefined) continue;
    if (!own.includes(name)) parts.issue(['rules', name], `a ${value.kind} sensor has no ${name} rule; its rules are ${own.join(', ')}`);
    else if (parts.sound('rules', name)) soundRules[name] = given[name];
  }
  const rules = resolveRules(value.kind, soundRules);
  if (rules.lowLevel !== undefined && !(rules.lowLevel.criticalPercent < rules.lowLevel.warningPercent)) {
    parts.issue(
      ['rules', 'lowLevel', 'criticalPercent'],
      `must be below warningPercent (${rules.lowLevel.warningPercent} %): critical is the emptier level`,
    );
  }
  if (rules.gas !== undefined) {
    const { warningLel, alarmLel, severeLel } = rules.gas;
    if (!(warningLel < alarmLel)) parts.issue(['rules', 'gas', 'warningLel'], `must be below alarmLel (${alarmLel} %LEL)`);
    if (!(alarmLel < severeLel)) parts.issue(['rules', 'gas', 'severeLel'], `must be above alarmLel (${alarmLel} %LEL)`);
  }
}

function checkCalibration(value: SensorFields, parts: Parts): void {
  const { driver } = driverOf(value, parts);
  if (!parts.sound('calibration') || driver === undefined) return;
  const { calibration } = value;
  const kind = parts.sound('kind') ? value.kind : undefined;
  if (driver === 'mq6') {
    if (calibration === undefined) parts.issue(['calibration', 'r0Ohms'], R0_MESSAGE);
    else if (calibration.type !== 'mq6') {
      parts.issue(['calibration', 'type'], 'must be mq6 for an MQ-6 sniffer: it turns the sensor volts into %LEL');
    }
    return;
  }
  if (calibration?.type === 'mq6' && kind !== undefined && kind !== 'gas') {
    parts.issue(['calibration', 'type'], 'mq6 calibration is for gas sensors only');
  }
  if (driver === 'ads1115' && calibration === undefined) {
    parts.issue(
      ['calibration'],
      kind === 'temperature'
        ? 'missing — an ADC reads volts; say what they mean, e.g. { type: offset, scale: 100, offset: 0 } for an LM35 (10 mV/°C)'
        : 'missing — an ADC reads volts; say what they mean, e.g. { type: two_point, points: [{ raw: <volts empty>, value: 5 }, ' +
            '{ raw: <volts full>, value: 80 }] }: run `easygas calibrate {sensorId}` to measure them',
    );
  }
}

function checkSensor(value: SensorFields, ctx: z.RefinementCtx): void {
  const parts = partsOf(ctx);
  checkKindAndDriver(value, parts);
  checkLevel(value, parts);
  checkRules(value, parts);
  checkCalibration(value, parts);
}

function intervalFor(kind: SensorKind): number {
  return parseDuration(DEFAULT_INTERVAL[kind]) ?? 1000;
}

/** Fills per-kind defaults once every check has passed. */
function resolveSensor(value: SensorFields) {
  const { calibration, level, filter, health, rules, interval, ...rest } = value;
  const resolvedLevel: LevelConfig | undefined =
    level !== undefined && value.source.driver === 'ultrasonic' && level.blindZoneMm === undefined
      ? { ...level, blindZoneMm: ULTRASONIC_MODELS[value.source.model].blindZoneMm }
      : level;
  const resolvedCalibration: CalibrationConfig = calibration ?? { type: 'identity' };
  return {
    ...rest,
    interval: interval ?? intervalFor(value.kind),
    calibration: resolvedCalibration,
    ...(resolvedLevel === undefined ? {} : { level: resolvedLevel }),
    filter: filter ?? {},
    health: health ?? {},
    rules: resolveRules(value.kind, rules, resolvedLevel?.tank.maxFillFraction === 1),
  };
}

export const sensorSchema = sensorFields.superRefine(checkSensor, evenWhenPartsFail).transform(resolveSensor);

export type SensorConfig = z.output<typeof sensorSchema>;
export type SensorInput = z.input<typeof sensorSchema>;
