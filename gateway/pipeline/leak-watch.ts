/**
 * The leak watch of one level sensor (issue 20): the offline half of the cloud's
 * slow-drift and quiet-hours anomalies, judged from the tank's own last hours only,
 * so a slow leak is noticed with the internet down.
 *
 * - quiet hours: when the local quiet window (default 02:00–05:00) ends, the level
 *   fell steadily over the whole window by more than a noise floor, while nothing
 *   should run;
 * - steady decline: over the last few hours (default 4 h) the level fell at a constant
 *   rate above a floor, unlike the bursts of normal use, and by more than twice what the
 *   same hours fell a day earlier (a household's smooth draw repeats; a new leak does not).
 *   So it needs a day of history; the quiet hours need none.
 *
 * Readings go into 15-minute bins (leak-watch-fit.ts). Only trusted readings with a
 * synchronised clock count: a fault or an unsynchronised reading turns its bin into a
 * gap, and a run with a gap is never judged, nor one with a rise (a refill, a pump) in it. One warning at a time: it clears after a quiet window that shows no loss
 * (or, with quiet hours off, after a day without a fresh finding). Pure and incremental.
 */
import { addToBin, closeBin, contiguous, judgeRun, openBin, taintBin, type LevelBin, type OpenBin } from './leak-watch-fit.js';
import type { RuleSpec } from './specs.js';

export type LeakWatchSpec = Extract<RuleSpec, { type: 'leak_watch' }>;

export const LEAK_WATCH_BIN_MS = 15 * 60_000;
/** A bin mean this far (percent) above the one before is a refill: no run across it is judged. */
const RISE_PERCENT = 0.5;
const DAY_MS = 86_400_000;
/**
 * How far from a straight line a run may be, in units of the bins' own noise. Looser
 * in the quiet hours, where nothing should run at all and the loss floor guards;
 * tight for the steady decline, which must tell a leak from a day of small draws.
 */
const QUIET_RESIDUAL = 2;
const STEADY_RESIDUAL = 1.3;

export interface LeakWatchState {
  readonly type: 'leak_watch';
  readonly active: boolean;
  /** Closed bins, oldest first, as many as the longest window needs. */
  readonly bins: readonly LevelBin[];
  readonly open?: OpenBin;
  /** Litres per percent point, from the latest reading that had litres: for messages. */
  readonly litresPerPercent?: number;
  /** Wall time of the latest finding while active. */
  readonly foundAt?: number;
}

/** What the step saw: a trusted reading's level, an untrusted step, or nothing (a tick). */
export type LeakObservation =
  | { readonly kind: 'level'; readonly at: number; readonly percent: number; readonly litres?: number }
  | { readonly kind: 'untrusted'; readonly at: number };

export interface LeakChange {
  readonly state: 'raised' | 'cleared';
  readonly value: number;
  readonly unit: string;
  readonly threshold: number;
  readonly message: string;
}

export const initialLeakWatch: LeakWatchState = { type: 'leak_watch', active: false, bins: [] };

export function stepLeakWatch(
  spec: LeakWatchSpec,
  name: string,
  state: LeakWatchState,
  seen: LeakObservation,
): { readonly state: LeakWatchState; readonly change?: LeakChange } {
  const binStart = Math.floor(seen.at / LEAK_WATCH_BIN_MS) * LEAK_WATCH_BIN_MS;
  const percent = seen.kind === 'level' ? seen.percent : undefined;
  const lpp = seen.kind === 'level' && seen.litres !== undefined && seen.percent > 0.5 ? seen.litres / seen.percent : state.litresPerPercent;
  const base: LeakWatchState = lpp === state.litresPerPercent ? state : { ...state, litresPerPercent: lpp };
  const open = base.open;
  if (open === undefined || binStart < open.start) {
    // The first reading, or the clock went back: nothing before it can be trusted to line up.
    return { state: { ...base, bins: [], open: feed(openBin(binStart), seen.at, percent) } };
  }
  if (binStart === open.start) return { state: { ...base, open: feed(open, seen.at, percent) } };
  const bins = appendBin(spec, base.bins, closeBin(open));
  const judged = judge(spec, name, { ...base, bins }, open.start + LEAK_WATCH_BIN_MS);
  return { state: { ...judged.state, open: feed(openBin(binStart), seen.at, percent) }, ...(judged.change ? { change: judged.change } : {}) };
}

function feed(bin: OpenBin, at: number, percent: number | undefined): OpenBin {
  return percent === undefined ? taintBin(bin) : addToBin(bin, LEAK_WATCH_BIN_MS, at, percent);
}

function appendBin(spec: LeakWatchSpec, bins: readonly LevelBin[], closed: LevelBin | undefined): readonly LevelBin[] {
  if (closed === undefined) return bins;
  // The steady decline compares with the same hours a day earlier: keep a day and a run.
  const history = spec.steadyDecline === undefined ? 0 : DAY_MS / LEAK_WATCH_BIN_MS + steadyBins(spec);
  return [...bins, closed].slice(-Math.max(quietBins(spec), history));
}

function quietBins(spec: LeakWatchSpec): number {
  const q = spec.quietHours;
  return q === undefined ? 0 : windowMinutes(q.fromMinute, q.toMinute) / (LEAK_WATCH_BIN_MS / 60_000);
}

function steadyBins(spec: LeakWatchSpec): number {
  return spec.steadyDecline === undefined ? 0 : Math.round(spec.steadyDecline.windowMs / LEAK_WATCH_BIN_MS);
}

/** The last `count` bins, ending at `endMs`, if they are all there, unbroken and with no rise (a refill). */
function run(bins: readonly LevelBin[], count: number, endMs: number): readonly LevelBin[] | undefined {
  if (count < 4 || bins.length < count) return undefined;
  const last = bins.slice(-count);
  const first = last[0];
  if (first === undefined || first.start !== endMs - count * LEAK_WATCH_BIN_MS) return undefined;
  const rose = last.some((b, i) => i > 0 && b.mean - (last[i - 1]?.mean ?? b.mean) > RISE_PERCENT);
  return !rose && contiguous(last, LEAK_WATCH_BIN_MS) ? last : undefined;
}

/**
 * The fall over the same clock hours a day earlier, from the bins at the ends of that
 * window; undefined when the gateway did not see them (a new gateway, a gap).
 */
function dayBefore(bins: readonly LevelBin[], run: readonly LevelBin[]): number | undefined {
  const first = run[0];
  const last = run[run.length - 1];
  if (first === undefined || last === undefined) return undefined;
  const then = (start: number): LevelBin | undefined => bins.find((b) => b.start === start - DAY_MS);
  const a = then(first.start);
  const b = then(last.start);
  return a === undefined || b === undefined ? undefined : a.mean - b.mean;
}

/** A bin just closed at `endMs`: judge the quiet window (if it ended now) and the steady decline. */
function judge(spec: LeakWatchSpec, name: string, state: LeakWatchState, endMs: number): { state: LeakWatchState; change?: LeakChange } {
  const amount = (percent: number): string => amountWords(percent, state.litresPerPercent);
  const q = spec.quietHours;
  if (q !== undefined && minuteOfDay(endMs, spec.timeZone) === q.toMinute) {
    const bins = run(state.bins, quietBins(spec), endMs);
    if (bins !== undefined) {
      const fall = judgeRun(bins, LEAK_WATCH_BIN_MS, QUIET_RESIDUAL);
      const window = `between ${clock(q.fromMinute)} and ${clock(q.toMinute)}`;
      if (fall.loss >= q.minLossPercent && fall.steady) {
        if (state.active) return { state: { ...state, foundAt: endMs } };
        return raise(state, endMs, fall.loss, '%', q.minLossPercent,
          `${name}: possible leak — the tank lost ${amount(fall.loss)} ${window} while nothing should run (a steady ${amount(fall.ratePerHour)} an hour); check taps, the float valve, pipes`);
      }
      if (state.active && fall.loss < q.minLossPercent / 2) {
        return clear(state, fall.loss, '%', q.minLossPercent / 2, `${name} held steady ${window} (${amount(Math.max(0, fall.loss))} lost): no sign of a leak now`);
      }
    }
  }
  const s = spec.steadyDecline;
  if (s !== undefined) {
    const bins = run(state.bins, steadyBins(spec), endMs);
    const fall = bins === undefined ? undefined : judgeRun(bins, LEAK_WATCH_BIN_MS, STEADY_RESIDUAL);
    // "No matching use pattern": the same hours yesterday fell by less than half as much.
    const usual = bins === undefined ? undefined : dayBefore(state.bins, bins);
    const unusual = fall !== undefined && usual !== undefined && usual < 0.5 * fall.loss;
    if (fall !== undefined && unusual && fall.ratePerHour >= s.minPercentPerHour && fall.steady) {
      if (state.active) return { state: { ...state, foundAt: endMs } };
      const hours = fmtNumber(s.windowMs / 3_600_000);
      return raise(state, endMs, fall.ratePerHour, '%/h', s.minPercentPerHour,
        `${name}: possible leak — the level has fallen a steady ${amount(fall.ratePerHour)} an hour for ${hours} h, unlike the bursts of normal use; check taps, the float valve, pipes`);
    }
  }
  if (q === undefined && state.active && endMs - (state.foundAt ?? endMs) >= DAY_MS) {
    return clear(state, 0, '%/h', s?.minPercentPerHour ?? 0, `${name} has shown no steady loss for a day: no sign of a leak now`);
  }
  return { state };
}

function raise(state: LeakWatchState, at: number, value: number, unit: string, threshold: number, message: string) {
  return { state: { ...state, active: true, foundAt: at }, change: { state: 'raised' as const, value, unit, threshold, message } };
}

function clear(state: LeakWatchState, value: number, unit: string, threshold: number, message: string) {
  const { foundAt: _found, ...rest } = state;
  return { state: { ...rest, active: false }, change: { state: 'cleared' as const, value, unit, threshold, message } };
}

function amountWords(percent: number, litresPerPercent: number | undefined): string {
  return litresPerPercent === undefined ? `${fmtNumber(percent)} %` : `${fmtNumber(percent * litresPerPercent)} L`;
}

function fmtNumber(v: number): string {
  const r = Math.round(v * 10) / 10;
  return Object.is(r, -0) ? '0' : String(r);
}

function clock(minute: number): string {
  return `${String(Math.floor(minute / 60)).padStart(2, '0')}:${String(minute % 60).padStart(2, '0')}`;
}

function windowMinutes(from: number, to: number): number {
  return (((to - from) % 1440) + 1440) % 1440;
}

const formatters = new Map<string, Intl.DateTimeFormat>();

/** Local minute of the day (0–1439) of `at` in the IANA time zone (absent: the host's). */
export function minuteOfDay(at: number, timeZone: string | undefined): number {
  const key = timeZone ?? '';
  let f = formatters.get(key);
  if (f === undefined) {
    f = new Intl.DateTimeFormat('en-GB', { timeZone, hour: 'numeric', minute: 'numeric', hourCycle: 'h23' });
    formatters.set(key, f);
  }
  let hour = 0;
  let minute = 0;
  for (const part of f.formatToParts(at)) {
    if (part.type === 'hour') hour = Number(part.value);
    else if (part.type === 'minute') minute = Number(part.value);
  }
  return hour * 60 + minute;
}
