/**
 * A sensor's health, from its samples and from the time since the last one.
 *
 * Precedence, strongest first (the first that applies is the health):
 *   1. disconnected — disconnectedAfterFaults connection faults in a row, or nothing
 *      heard for disconnectedAfterMs (connection faults are not hearing from it);
 *   2. stale        — nothing heard for staleAfterMs;
 *   3. warming_up   — inside warmupMs of the first sample, or the source says so: an
 *      MQ-6 with a cold heater reads nonsense, which must not count as a fault;
 *   4. out_of_range — the latest judged sample was a range fault (out_of_range,
 *      blind_zone, no_echo), could not be calibrated, or fell outside validRange;
 *   5. stuck        — the raw value has not moved by more than stuckEpsilon for stuckAfterMs;
 *   6. noisy        — more than noisyFraction of the last noisyWindow samples were
 *      spikes or garbled (checksum, crc, suspect, malformed);
 *   7. ok.
 * A good value clears out_of_range at once; stuck clears when the raw value moves,
 * noisy when the bad samples leave the window. A connection fault short of the count
 * changes nothing but the count. Warm-up restarts when a disconnected sensor is heard
 * again (a replugged MQ-6 is cold).
 */
import type { HealthSpec } from './specs.js';
import type { Health, RawSample, SampleFaultCode } from './types.js';

export interface HealthState {
  readonly health: Health;
  /**
   * Monotonic ms the warm-up counts from: the first sample heard, or the first after a
   * disconnection (a replugged MQ-6 has a cold heater again). Undefined before it.
   */
  readonly firstMono?: number;
  /**
   * Monotonic ms the sensor was last heard from: any sample but a connection fault
   * (a poller reporting timeouts is not the sensor speaking); the start before that.
   */
  readonly lastHeardMono: number;
  readonly consecutiveConnectionFaults: number;
  /** The verdict on the latest sample that carried or lacked a value for range reasons. */
  readonly outOfRange: boolean;
  /** The latest sample said it was warming up. */
  readonly sourceWarmingUp: boolean;
  /** The raw value the stuck check compares against, and since when it has held. */
  readonly stuckRaw?: number;
  readonly stuckSinceMono?: number;
  /** Samples seen, and the sequence numbers of the bad ones still inside the noisy window. */
  readonly seq: number;
  readonly badSeqs: readonly number[];
}

/** What the pipeline made of a sample that carried a value. */
export interface SampleOutcome {
  /** The calibrated value in the reading's unit, judged against validRange. */
  readonly value?: number;
  /** Calibration or the level conversion refused the value (outside the rails, blind zone). */
  readonly rangeError?: boolean;
  /** The spike filter held the value back. */
  readonly rejected?: boolean;
}

const CONNECTION_FAULTS: ReadonlySet<SampleFaultCode> = new Set(['missing', 'permission', 'no_ack', 'timeout', 'closed', 'busy', 'io']);
const RANGE_FAULTS: ReadonlySet<SampleFaultCode> = new Set(['out_of_range', 'blind_zone', 'no_echo']);
const GARBLED_FAULTS: ReadonlySet<SampleFaultCode> = new Set(['checksum', 'crc', 'suspect', 'malformed']);

const NO_SEQS: readonly number[] = Object.freeze([]);

/** Before any sample the sensor counts as warming up: nothing is known yet, and nothing is wrong. */
export function initialHealthState(startMono: number): HealthState {
  return {
    health: 'warming_up',
    lastHeardMono: startMono,
    consecutiveConnectionFaults: 0,
    outOfRange: false,
    sourceWarmingUp: false,
    seq: 0,
    badSeqs: NO_SEQS,
  };
}

export function isConnectionFault(code: SampleFaultCode): boolean {
  return CONNECTION_FAULTS.has(code);
}

export function assessSample(spec: HealthSpec, state: HealthState, sample: RawSample, outcome?: SampleOutcome): HealthState {
  const { mono } = sample;
  const code = sample.fault?.code ?? (sample.value === undefined || !Number.isFinite(sample.value) ? 'malformed' : undefined);

  let consecutiveConnectionFaults = 0;
  let outOfRange = state.outOfRange;
  let stuckRaw = state.stuckRaw;
  let stuckSinceMono = state.stuckSinceMono;
  let bad = false;

  if (code !== undefined) {
    if (CONNECTION_FAULTS.has(code)) consecutiveConnectionFaults = state.consecutiveConnectionFaults + 1;
    else if (RANGE_FAULTS.has(code)) outOfRange = true;
    else if (GARBLED_FAULTS.has(code)) bad = true;
  } else {
    const raw = sample.value ?? 0;
    if (stuckRaw === undefined || stuckSinceMono === undefined || Math.abs(raw - stuckRaw) > spec.stuckEpsilon) {
      stuckRaw = raw;
      stuckSinceMono = mono;
    }
    if (outcome?.rejected === true) bad = true;
    else if (outcome?.rangeError === true) outOfRange = true;
    else if (outcome?.value !== undefined) outOfRange = !(outcome.value >= spec.validRange.min && outcome.value <= spec.validRange.max);
    else outOfRange = false;
  }

  const heard = consecutiveConnectionFaults === 0;
  // Back after a disconnection (counted, or by silence even if no tick noticed it).
  const returning = state.health === 'disconnected' || mono - state.lastHeardMono >= spec.disconnectedAfterMs;
  const firstMono = heard && (state.firstMono === undefined || returning) ? mono : state.firstMono;
  const seq = state.seq + 1;
  const badSeqs = slideWindow(state.badSeqs, seq, spec.noisyWindow, bad);
  // One literal shape (undefined fields included), and no spreads: this runs per sample.
  const next: { -readonly [K in keyof HealthState]: HealthState[K] } = {
    health: state.health,
    firstMono,
    lastHeardMono: heard ? mono : state.lastHeardMono,
    consecutiveConnectionFaults,
    outOfRange,
    // A fault sample says nothing about warm-up: keep what the last value said.
    sourceWarmingUp: code === undefined ? sample.warmingUp === true : state.sourceWarmingUp,
    stuckRaw,
    stuckSinceMono,
    seq,
    badSeqs,
  };
  next.health = judge(spec, next, mono);
  return next;
}

/**
 * Time-driven health: a sensor that has gone quiet becomes stale, then disconnected.
 * `lostSince` is the time the process itself lost since a moment (event-loop lag, a
 * GC pause, a suspended VM): the sensor is not blamed for it.
 */
export function assessTime(spec: HealthSpec, state: HealthState, mono: number, lostSince: (mono: number) => number = () => 0): HealthState {
  const health = judge(spec, state, mono, lostSince(state.lastHeardMono));
  return health === state.health ? state : { ...state, health };
}

function judge(spec: HealthSpec, state: HealthState, mono: number, lostMs = 0): Health {
  const silentFor = mono - state.lastHeardMono - lostMs;
  if (state.consecutiveConnectionFaults >= Math.max(1, spec.disconnectedAfterFaults)) return 'disconnected';
  if (silentFor >= spec.disconnectedAfterMs) return 'disconnected';
  if (silentFor >= spec.staleAfterMs) return 'stale';
  // A connection fault short of the count: one timeout is not a disconnection.
  if (state.consecutiveConnectionFaults > 0 && state.health !== 'stale' && state.health !== 'disconnected') return state.health;
  // Before the first sample nothing is known, and nothing is wrong yet.
  if (state.firstMono === undefined) return 'warming_up';
  if (state.sourceWarmingUp || mono - state.firstMono < spec.warmupMs) return 'warming_up';
  if (state.outOfRange) return 'out_of_range';
  if (spec.stuckAfterMs > 0 && state.stuckSinceMono !== undefined && mono - state.stuckSinceMono >= spec.stuckAfterMs) return 'stuck';
  if (state.badSeqs.length > spec.noisyFraction * spec.noisyWindow) return 'noisy';
  return 'ok';
}

/** Keeps the sequence numbers of bad samples among the last `size`; copies only when it changes. */
function slideWindow(seqs: readonly number[], seq: number, size: number, bad: boolean): readonly number[] {
  const oldest = seq - Math.max(1, size) + 1;
  let drop = 0;
  while (drop < seqs.length && (seqs[drop] ?? 0) < oldest) drop++;
  if (drop === 0 && !bad) return seqs;
  const kept = drop === 0 ? [...seqs] : seqs.slice(drop);
  if (bad) kept.push(seq);
  return kept;
}
