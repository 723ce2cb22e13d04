/**
 * The state machine behind every threshold rule: a ladder of nested levels (0 = clear,
 * 1 = warning, 2 = critical, 3 = severe…) with hysteresis and minimum durations in both
 * directions, in monotonic time.
 *
 * Each level k has a condition ("percent ≤ 20", or with hysteresis while active
 * "percent ≤ 25"); the rule remembers whether it held at the last observation and
 * since when. A level is reached when its condition has held for raiseAfterMs, and
 * left when it has failed for clearAfterMs. Conditions are nested (critical implies
 * warning), so the active level is the highest one that qualifies.
 *
 * While the sensor cannot be trusted (warming up, faulty, stale) nothing is observed
 * and nothing settles: the rule holds. A pending raise keeps its start (the condition
 * was seen before and, if still true, after the gap); a pending clear restarts at the
 * next trusted observation, so an alarm never clears on time spent blind.
 */

export interface LadderMark {
  readonly holds: boolean;
  /** Monotonic ms since which `holds` has been true or false. */
  readonly since: number;
}

export interface LadderState {
  /** The level currently raised; 0 = clear. */
  readonly active: number;
  /** One mark per level k ≥ 1, at index k − 1. */
  readonly marks: readonly LadderMark[];
  /** Observation was interrupted: pending clears restart at the next observation. */
  readonly interrupted: boolean;
}

export interface LadderTiming {
  readonly raiseAfterMs: number;
  readonly clearAfterMs: number;
}

/**
 * Whether level k's condition holds for the observed value, given the active level
 * (for hysteresis). A plain function of its arguments, so no closure is made per sample.
 */
export type LevelCondition<R> = (rule: R, value: number, level: number, active: number) => boolean;

const NEVER: LadderMark = Object.freeze({ holds: false, since: -Infinity });

export function initialLadder(levels: number): LadderState {
  return { active: 0, marks: Array.from({ length: levels }, () => NEVER), interrupted: false };
}

/** Records which level conditions hold now. Returns the same object when nothing changed. */
export function observeLadder<R>(state: LadderState, condition: LevelCondition<R>, rule: R, value: number, mono: number): LadderState {
  let marks: LadderMark[] | undefined;
  for (let k = 1; k <= state.marks.length; k++) {
    const prev = state.marks[k - 1] ?? NEVER;
    const holds = condition(rule, value, k, state.active);
    const restartClear = state.interrupted && !holds && state.active >= k;
    if (prev.holds === holds && !restartClear) continue;
    marks ??= [...state.marks];
    marks[k - 1] = { holds, since: mono };
  }
  if (marks === undefined && !state.interrupted) return state;
  return { active: state.active, marks: marks ?? state.marks, interrupted: false };
}

/** Marks the ladder as blind (untrusted samples): see the module comment. */
export function interruptLadder(state: LadderState): LadderState {
  return state.interrupted ? state : { ...state, interrupted: true };
}

/** The level the ladder settles on at `mono`, given how long each condition has held or failed. */
export function settleLadder(state: LadderState, timing: LadderTiming, mono: number): LadderState {
  if (state.interrupted) return state;
  let next = 0;
  for (let k = state.marks.length; k >= 1; k--) {
    const mark = state.marks[k - 1] ?? NEVER;
    const lasted = mono - mark.since;
    const qualifies =
      state.active >= k ? mark.holds || lasted < timing.clearAfterMs : mark.holds && lasted >= timing.raiseAfterMs;
    if (qualifies) {
      next = k;
      break;
    }
  }
  return next === state.active ? state : { ...state, active: next };
}
