/**
 * A sensor's spec changes while it runs: a new calibration from `easygas
 * calibrate`, new thresholds from the cloud. What must survive the change and
 * what must not:
 * - health carries over (a disconnected sensor stays disconnected);
 * - the filters restart when the calibration, the tank or the filter changed,
 *   because their history is in the old units;
 * - each rule keeps its state when a rule of the same type is still there, so an
 *   active alarm is re-judged against the new thresholds on the next reading
 *   rather than forgotten;
 * - a rule that is gone clears the condition it had raised, or the alarm it drove
 *   would stay on forever.
 */
import { initialFilterState } from './filters.js';
import { initialRuleState, type RuleState } from './rules.js';
import type { SensorState } from './sensor-pipeline.js';
import type { RuleSpec, SensorPipelineSpec } from './specs.js';
import type { ConditionEvent, ConditionKind } from './types.js';

const CONDITION_OF: Readonly<Record<RuleSpec['type'], ConditionKind>> = {
  low_level: 'low_level',
  gas: 'gas',
  leak: 'water_leak',
  sudden_drop: 'sudden_drop',
  leak_watch: 'possible_leak',
  sensor_fault: 'sensor_fault',
};

function isActive(state: RuleState): boolean {
  return state.type === 'sensor_fault' || state.type === 'leak_watch' ? state.active : state.ladder.active > 0;
}

function same(a: unknown, b: unknown): boolean {
  return JSON.stringify(a) === JSON.stringify(b);
}

export function respecSensor(
  oldSpec: SensorPipelineSpec,
  state: SensorState,
  newSpec: SensorPipelineSpec,
  at: number,
  mono: number,
  clockSynced: boolean,
): { readonly state: SensorState; readonly events: ConditionEvent[] } {
  const unitsChanged =
    !same(oldSpec.calibration, newSpec.calibration) || !same(oldSpec.level, newSpec.level) || !same(oldSpec.filter, newSpec.filter);
  const used = new Set<number>();
  const rules = newSpec.rules.map((rule) => {
    const i = oldSpec.rules.findIndex((old, j) => !used.has(j) && old.type === rule.type);
    if (i < 0) return initialRuleState(rule);
    used.add(i);
    return state.rules[i] ?? initialRuleState(rule);
  });
  const events: ConditionEvent[] = [];
  oldSpec.rules.forEach((rule, i) => {
    const old = state.rules[i];
    if (used.has(i) || old === undefined || !isActive(old)) return;
    events.push({
      sensorId: newSpec.sensorId,
      condition: CONDITION_OF[rule.type],
      state: 'cleared',
      severity: 'info',
      severe: false,
      at,
      mono,
      clockSynced,
      message: `${newSpec.name}: the ${rule.type.replace('_', ' ')} rule was removed, so its alarm is cleared`,
    });
  });
  return {
    state: {
      filter: unitsChanged ? initialFilterState : state.filter,
      health: state.health,
      rules,
      ...(state.lastEventAt !== undefined ? { lastEventAt: state.lastEventAt } : {}),
    },
    events,
  };
}
