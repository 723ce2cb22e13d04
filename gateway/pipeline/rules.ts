/**
 * The rules of one sensor: each turns readings and health into condition events
 * (raised, escalated, de-escalated, cleared), with immutable state.
 *
 * Safety semantics:
 * - value rules (low_level, gas, water_leak, sudden_drop) judge only trusted readings
 *   (health ok). A warming-up, faulty, stale or disconnected sensor neither raises nor
 *   clears them: its current state HOLDS — a gas alarm is never cleared because the
 *   sniffer was unplugged. See rule-ladder.ts for how pending timers bridge such gaps;
 * - sensor_fault is judged on every step and rises on top of whatever is held.
 */
import { initialLadder, interruptLadder, observeLadder, settleLadder, type LadderState, type LevelCondition } from './rule-ladder.js';
import type { RuleSpec, SensorPipelineSpec } from './specs.js';
import type { ConditionEvent, ConditionKind, Health, Reading, Severity } from './types.js';
import { initialLeakWatch, stepLeakWatch, type LeakWatchSpec, type LeakWatchState } from './leak-watch.js';
import { emptyWindowMax, pushWindowMax, type WindowMaxState } from './window-max.js';

type LowLevelSpec = Extract<RuleSpec, { type: 'low_level' }>;
type GasSpec = Extract<RuleSpec, { type: 'gas' }>;
type LeakSpec = Extract<RuleSpec, { type: 'leak' }>;
type DropSpec = Extract<RuleSpec, { type: 'sudden_drop' }>;
type FaultSpec = Extract<RuleSpec, { type: 'sensor_fault' }>;

export type RuleState =
  | { readonly type: 'low_level' | 'gas' | 'leak'; readonly ladder: LadderState; readonly value?: number }
  | {
      readonly type: 'sudden_drop';
      readonly ladder: LadderState;
      readonly window: WindowMaxState;
      /** The last drop seen: the window's maximum and the percent it fell to. */
      readonly max?: number;
      readonly percent?: number;
    }
  | LeakWatchState
  | { readonly type: 'sensor_fault'; readonly active: boolean; readonly badSince?: number };

/** One entry per spec.rules entry, in the same order. */
export type RulesState = readonly RuleState[];

export interface RulesOutcome {
  readonly state: RulesState;
  readonly events: ConditionEvent[];
}

/** A leak contact reads 1 when wet; anything from half-way up counts as wet. */
const WET = 0.5;

export function initialRulesState(spec: SensorPipelineSpec): RulesState {
  return spec.rules.map(initialRuleState);
}

export function initialRuleState(rule: RuleSpec): RuleState {
  switch (rule.type) {
    case 'low_level':
      return { type: rule.type, ladder: initialLadder(2) };
    case 'gas':
      return { type: rule.type, ladder: initialLadder(3) };
    case 'leak':
      return { type: rule.type, ladder: initialLadder(1) };
    case 'sudden_drop':
      return { type: rule.type, ladder: initialLadder(1), window: emptyWindowMax };
    case 'leak_watch':
      return initialLeakWatch;
    case 'sensor_fault':
      return { type: rule.type, active: false };
  }
}

/** What every event of one step shares. */
interface StepContext {
  readonly spec: SensorPipelineSpec;
  readonly at: number;
  readonly mono: number;
  readonly clockSynced: boolean;
  readonly events: ConditionEvent[];
  /** The trusted reading was above the sensor's range: the true value is at least this. */
  readonly overRangeBound?: number;
}

/**
 * Runs every rule once. `reading` is absent on a tick or a sample that produced no
 * value; timers (minimum durations) still settle then, if the sensor is trusted.
 */
export function evaluateRules(
  spec: SensorPipelineSpec,
  state: RulesState,
  reading: Reading | undefined,
  health: Health,
  at: number,
  mono: number,
  clockSynced: boolean,
): RulesOutcome {
  const trusted = health === 'ok' && (reading === undefined || reading.quality === 'ok');
  const observed = trusted ? reading : undefined;
  const ctx: StepContext =
    observed?.overRange === true
      ? { spec, at, mono, clockSynced, events: [], overRangeBound: observed.value }
      : { spec, at, mono, clockSynced, events: [] };
  const next = spec.rules.map((rule, i) => {
    const prev = state[i];
    const current = prev !== undefined && prev.type === rule.type ? prev : initialRuleState(rule);
    return evaluateRule(ctx, rule, current, observed, trusted, health);
  });
  return { state: next, events: ctx.events };
}

function evaluateRule(
  ctx: StepContext,
  rule: RuleSpec,
  state: RuleState,
  reading: Reading | undefined,
  trusted: boolean,
  health: Health,
): RuleState {
  if (rule.type === 'sensor_fault') {
    return state.type === 'sensor_fault' ? sensorFault(ctx, rule, state, health) : state;
  }
  if (rule.type === 'leak_watch') return state.type === 'leak_watch' ? leakWatch(ctx, rule, state, reading, trusted) : state;
  if (state.type === 'sensor_fault' || state.type === 'leak_watch') return state;
  if (!trusted) return state.ladder.interrupted ? state : { ...state, ladder: interruptLadder(state.ladder) };
  switch (rule.type) {
    case 'low_level':
      return ladderRule(ctx, rule, state, reading?.percent ?? reading?.value, lowLevelCondition, rule.minDurationMs, rule.minDurationMs);
    case 'gas':
      return ladderRule(ctx, rule, state, gasValue(ctx, rule, reading), gasCondition, rule.minDurationMs, rule.minDurationMs);
    case 'leak':
      return ladderRule(ctx, rule, state, reading?.value, wetCondition, 0, rule.minDurationMs);
    case 'sudden_drop':
      return state.type === 'sudden_drop' ? suddenDrop(ctx, rule, state, reading?.percent ?? reading?.value) : state;
  }
}

const lowLevelCondition: LevelCondition<LowLevelSpec> = (rule, v, k, active) => {
  const threshold = k === 1 ? rule.warningPercent : rule.criticalPercent;
  return v <= threshold || (active >= k && v <= threshold + rule.hysteresisPercent);
};

const gasCondition: LevelCondition<GasSpec> = (rule, v, k, active) => {
  const threshold = k === 1 ? rule.warningLel : k === 2 ? rule.alarmLel : rule.severeLel;
  return v >= threshold || (active >= k && v >= threshold - rule.hysteresisLel);
};

/** Gas above the sensor's range counts as at least the severe level, whatever the bound. */
function gasValue(ctx: StepContext, rule: GasSpec, reading: Reading | undefined): number | undefined {
  return ctx.overRangeBound !== undefined ? Math.max(ctx.overRangeBound, rule.severeLel) : reading?.value;
}

const wetCondition: LevelCondition<LeakSpec> = (_rule, v) => v >= WET;

/** Raised at dropPercent, cleared once the drop has shrunk below half of it. */
const dropCondition: LevelCondition<DropSpec> = (rule, drop, _k, active) => drop >= (active >= 1 ? rule.dropPercent / 2 : rule.dropPercent);

function ladderRule<R extends LowLevelSpec | GasSpec | LeakSpec>(
  ctx: StepContext,
  rule: R,
  state: Extract<RuleState, { ladder: LadderState }>,
  value: number | undefined,
  condition: LevelCondition<R>,
  raiseAfterMs: number,
  clearAfterMs: number,
): RuleState {
  const seen = value !== undefined && Number.isFinite(value);
  const observedLadder = seen ? observeLadder(state.ladder, condition, rule, value, ctx.mono) : state.ladder;
  const ladder = settleLadder(observedLadder, { raiseAfterMs, clearAfterMs }, ctx.mono);
  const lastValue = seen ? value : 'value' in state ? state.value : undefined;
  if (ladder.active !== state.ladder.active) {
    ctx.events.push(ladderEvent(ctx, rule, state.ladder.active, ladder.active, lastValue));
  }
  if (ladder === state.ladder && (!seen || ('value' in state && state.value === value))) return state;
  return lastValue !== undefined ? { type: rule.type, ladder, value: lastValue } : { type: rule.type, ladder };
}

function suddenDrop(
  ctx: StepContext,
  rule: DropSpec,
  state: Extract<RuleState, { type: 'sudden_drop' }>,
  percent: number | undefined,
): RuleState {
  let { window, ladder, max } = state;
  let current = state.percent;
  if (percent !== undefined && Number.isFinite(percent)) {
    const pushed = pushWindowMax(window, rule.windowMs, percent, ctx.mono);
    window = pushed.state;
    max = pushed.max;
    current = percent;
    ladder = observeLadder(ladder, dropCondition, rule, max - percent, ctx.mono);
  }
  const settled = settleLadder(ladder, { raiseAfterMs: 0, clearAfterMs: 0 }, ctx.mono);
  if (settled === state.ladder && window === state.window) return state;
  if (settled.active !== state.ladder.active && max !== undefined && current !== undefined) {
    const raised = settled.active > 0;
    const drop = max - current;
    const within = formatDuration(rule.windowMs);
    ctx.events.push(
      event(ctx, 'sudden_drop', raised ? 'raised' : 'cleared', 'warning', false, {
        value: drop,
        unit: '%',
        threshold: raised ? rule.dropPercent : rule.dropPercent / 2,
        message: raised
          ? `${ctx.spec.name} dropped ${fmt(drop)} % within ${within} (from ${fmt(max)} % to ${fmt(current)} %): possible leak (warning at ${fmt(rule.dropPercent)} %)`
          : `${ctx.spec.name} is no longer dropping fast: ${fmt(drop)} % below its highest in ${within} (cleared under ${fmt(rule.dropPercent / 2)} %)`,
      }),
    );
  }
  return { type: 'sudden_drop', ladder: settled, window, max, percent: current };
}

/** Trusted readings with a synchronised clock feed the watch; any other step leaves a gap. */
function leakWatch(ctx: StepContext, rule: LeakWatchSpec, state: LeakWatchState, reading: Reading | undefined, trusted: boolean): RuleState {
  if (trusted && reading === undefined) return state; // a tick: nothing seen
  const percent = reading?.percent ?? reading?.value;
  const usable = trusted && ctx.clockSynced && reading !== undefined && reading.overRange !== true && percent !== undefined && Number.isFinite(percent);
  const seen = usable
    ? { kind: 'level' as const, at: ctx.at, percent, ...(reading.litres !== undefined ? { litres: reading.litres } : {}) }
    : { kind: 'untrusted' as const, at: ctx.at };
  const step = stepLeakWatch(rule, ctx.spec.name, state, seen);
  if (step.change !== undefined) {
    const { state: change, ...detail } = step.change;
    ctx.events.push(event(ctx, 'possible_leak', change, 'warning', false, detail));
  }
  return step.state;
}

function sensorFault(ctx: StepContext, rule: FaultSpec, state: Extract<RuleState, { type: 'sensor_fault' }>, health: Health): RuleState {
  const faulty = health !== 'ok' && health !== 'warming_up';
  const gasSensor = ctx.spec.kind === 'gas';
  const severity: Severity = gasSensor ? 'critical' : 'warning';
  if (faulty) {
    const badSince = state.badSince ?? ctx.mono;
    if (!state.active && ctx.mono - badSince >= rule.minDurationMs) {
      const consequence = gasSensor ? 'gas leak protection is OFF until it is fixed' : 'its readings cannot be trusted';
      ctx.events.push(
        event(ctx, 'sensor_fault', 'raised', severity, false, { message: `${ctx.spec.name} is ${HEALTH_WORDS[health]}: ${consequence}` }),
      );
      return { type: 'sensor_fault', active: true, badSince };
    }
    return state.badSince === badSince ? state : { ...state, badSince };
  }
  // Warming up neither clears a raised fault (protection is not back yet) nor keeps counting.
  if (state.active && health === 'ok') {
    ctx.events.push(event(ctx, 'sensor_fault', 'cleared', severity, false, { message: `${ctx.spec.name} is working again` }));
    return { type: 'sensor_fault', active: false };
  }
  return state.badSince === undefined ? state : { type: 'sensor_fault', active: state.active };
}

const HEALTH_WORDS: Readonly<Record<Health, string>> = {
  ok: 'working',
  warming_up: 'warming up',
  stale: 'not reporting',
  disconnected: 'disconnected',
  out_of_range: 'reading out of range',
  stuck: 'stuck at one value',
  noisy: 'giving noisy readings',
};

function ladderEvent(
  ctx: StepContext,
  rule: LowLevelSpec | GasSpec | LeakSpec,
  from: number,
  to: number,
  value: number | undefined,
): ConditionEvent {
  const name = ctx.spec.name;
  const v = value ?? NaN;
  switch (rule.type) {
    case 'low_level': {
      if (to === 0) {
        const clearAt = rule.warningPercent + rule.hysteresisPercent;
        return event(ctx, 'low_level', 'cleared', from >= 2 ? 'critical' : 'warning', false, {
          value: v,
          unit: '%',
          threshold: clearAt,
          message: `${name} is no longer low: ${fmt(v)} % (cleared above ${fmt(clearAt)} %)`,
        });
      }
      const critical = to >= 2;
      const threshold = critical ? rule.criticalPercent : rule.warningPercent;
      return event(ctx, 'low_level', 'raised', critical ? 'critical' : 'warning', false, {
        value: v,
        unit: '%',
        threshold,
        message: critical
          ? `${name} is almost empty: ${fmt(v)} % left (critical at ${fmt(threshold)} %)`
          : `${name} is low: ${fmt(v)} % left (warning at ${fmt(threshold)} %)`,
      });
    }
    case 'gas': {
      if (to === 0) {
        const clearAt = rule.warningLel - rule.hysteresisLel;
        return event(ctx, 'gas', 'cleared', from >= 2 ? 'critical' : 'warning', false, {
          value: v,
          unit: '%LEL',
          threshold: clearAt,
          message: `Gas cleared at ${name}: ${fmt(v)} %LEL (below ${fmt(clearAt)} %LEL)`,
        });
      }
      const [threshold, words] =
        to >= 3
          ? [rule.severeLel, `severe above ${fmt(rule.severeLel)} %LEL: the alarm cannot be silenced`]
          : to === 2
            ? [rule.alarmLel, `alarm at ${fmt(rule.alarmLel)} %LEL`]
            : [rule.warningLel, `warning at ${fmt(rule.warningLel)} %LEL`];
      const bound = ctx.overRangeBound;
      return event(ctx, 'gas', 'raised', to >= 2 ? 'critical' : 'warning', to >= 3, {
        value: bound ?? v,
        unit: '%LEL',
        threshold,
        message:
          bound !== undefined
            ? `Gas above the sensor's range (>${fmt(bound)} %LEL) at ${name} (${words})`
            : `Gas at ${fmt(v)} %LEL at ${name} (${words})`,
      });
    }
    case 'leak':
      return to > 0
        ? event(ctx, 'water_leak', 'raised', 'critical', false, { value: 1, unit: '', threshold: 1, message: `Water leak at ${name}` })
        : event(ctx, 'water_leak', 'cleared', 'critical', false, {
            value: 0,
            unit: '',
            threshold: 1,
            message: `${name} is dry again (no water for ${formatDuration(rule.minDurationMs)})`,
          });
  }
}

function event(
  ctx: StepContext,
  condition: ConditionKind,
  state: 'raised' | 'cleared',
  severity: Severity,
  severe: boolean,
  detail: { readonly value?: number; readonly unit?: string; readonly threshold?: number; readonly message: string },
): ConditionEvent {
  return {
    sensorId: ctx.spec.sensorId,
    condition,
    state,
    severity,
    severe,
    at: ctx.at,
    mono: ctx.mono,
    clockSynced: ctx.clockSynced,
    ...detail,
  };
}

function round(v: number): number {
  return Math.round(v * 10) / 10;
}

/** One decimal at most, no "-0", no trailing ".0": "27", "12.5". */
export function fmt(v: number): string {
  const r = round(v);
  return Object.is(r, -0) ? '0' : String(r);
}

export function formatDuration(ms: number): string {
  if (ms < 120_000) return `${fmt(ms / 1000)} s`;
  if (ms < 2 * 3_600_000) return `${fmt(ms / 60_000)} min`;
  return `${fmt(ms / 3_600_000)} h`;
}
