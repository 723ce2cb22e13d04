import { OutcomeCounter, failed, ok, type OutcomeCounts, type Result } from '../fault.js';

/**
 * The UART frame of the DFRobot A02YYUW and the JSN-SR04T v3 (HARDWARE.md "UART
 * ultrasonic level sensors"): 4 bytes `0xFF H L SUM`, SUM = (0xFF + H + L) & 0xFF,
 * distance mm = H×256 + L. Pure: bytes in, classified outcomes out.
 */

export type UltrasonicModel = 'A02YYUW' | 'JSN-SR04T';
/** 'streaming': the sensor sends frames on its own; 'triggered': one frame per 0x55 written. */
export type UltrasonicMode = 'streaming' | 'triggered';

export interface UltrasonicModelSpec {
  readonly model: UltrasonicModel;
  readonly baudRate: number;
  /** Readings from 1 mm up to this are the blind zone: the target is too close to measure. */
  readonly blindZoneMm: number;
  /** The farthest the sensor measures; anything beyond is out of range. */
  readonly maxRangeMm: number;
  /** What the firmware sends when nothing echoed: 0, or on some firmwares the maximum range. */
  readonly noEchoMm: readonly number[];
  readonly modes: readonly UltrasonicMode[];
  /** Longest gap between two streamed frames. */
  readonly maxFrameIntervalMs: number;
  /** From the 0x55 trigger to the answer, in triggered mode [check: no datasheet figure]. */
  readonly measuringMs: number;
}

export const ULTRASONIC_MODELS: Readonly<Record<UltrasonicModel, UltrasonicModelSpec>> = Object.freeze({
  // DFRobot SEN0311: 30–4500 mm, a frame every 100 ms (RX low) to 500 ms (RX floating).
  A02YYUW: Object.freeze({
    model: 'A02YYUW',
    baudRate: 9600,
    blindZoneMm: 30,
    maxRangeMm: 4500,
    noEchoMm: Object.freeze([0, 4500]),
    modes: Object.freeze(['streaming'] as const),
    maxFrameIntervalMs: 500,
    measuringMs: 100,
  }),
  // JSN-SR04T v3: 200–6000 mm; mode 2 streams every 100 ms, mode 3 answers 0x55.
  'JSN-SR04T': Object.freeze({
    model: 'JSN-SR04T',
    baudRate: 9600,
    blindZoneMm: 200,
    maxRangeMm: 6000,
    noEchoMm: Object.freeze([0, 6000]),
    modes: Object.freeze(['streaming', 'triggered'] as const),
    maxFrameIntervalMs: 100,
    measuringMs: 50,
  }),
});

export function isUltrasonicModel(value: unknown): value is UltrasonicModel {
  return typeof value === 'string' && Object.hasOwn(ULTRASONIC_MODELS, value);
}

export const FRAME_HEADER = 0xff;
export const FRAME_LENGTH = 4;
/** The byte a JSN-SR04T in mode 3 answers with one frame. */
export const TRIGGER_BYTE = 0x55;
/** The largest distance a frame can carry. */
export const MAX_FRAME_MM = 0xffff;

export type UltrasonicOutcome = Result<{ readonly distanceMm: number }>;

export function frameChecksum(high: number, low: number): number {
  return (FRAME_HEADER + high + low) & 0xff;
}

/** The 4 bytes a sensor sends for `mm` (shared with the emulator). */
export function encodeFrame(mm: number): Uint8Array {
  if (!Number.isInteger(mm) || mm < 0 || mm > MAX_FRAME_MM) {
    throw new RangeError(`a frame carries an integer 0..${MAX_FRAME_MM} mm, got ${mm}`);
  }
  const high = mm >> 8;
  const low = mm & 0xff;
  return Uint8Array.of(FRAME_HEADER, high, low, frameChecksum(high, low));
}

/** Classifies a checksum-valid frame's distance against the model's limits. */
export function classifyDistance(mm: number, spec: UltrasonicModelSpec, source: string): UltrasonicOutcome {
  const who = `${spec.model} on ${source}`;
  if (spec.noEchoMm.includes(mm)) {
    return failed({
      code: 'no_echo',
      message: `${who} heard no echo (it sent ${mm} mm)`,
      hint:
        'Check that the sensor faces the liquid squarely, that nothing (foam, a pipe, the tank wall) is in ' +
        'its beam, and that no condensation covers the transducer; an empty tank may be beyond its range.',
    });
  }
  if (mm <= spec.blindZoneMm) {
    return failed({
      code: 'blind_zone',
      message: `${who} reads ${mm} mm, inside its ${spec.blindZoneMm} mm blind zone`,
      hint: `The surface is too close: mount the sensor higher, at least ${spec.blindZoneMm} mm plus a margin above the highest fill level.`,
    });
  }
  if (mm > spec.maxRangeMm) {
    return failed({
      code: 'out_of_range',
      message: `${who} reads ${mm} mm, beyond its ${spec.maxRangeMm} mm range`,
      hint: `Check the sensor model in the config; a ${spec.model} measures at most ${spec.maxRangeMm} mm.`,
    });
  }
  return ok({ distanceMm: mm });
}

type Window = 'valid' | 'invalid' | 'incomplete';

const hexBytes = (bytes: Uint8Array): string =>
  Array.from(bytes, (b) => b.toString(16).padStart(2, '0').toUpperCase()).join(' ');

export interface UltrasonicFrameParserOptions {
  readonly model: UltrasonicModel | UltrasonicModelSpec;
  /** What to call the sensor's port in messages, e.g. "/dev/serial0". */
  readonly source?: string;
}

/**
 * Finds frames in a byte stream by sliding a 4-byte window and checking the sum,
 * never by trusting 0xFF alone: 0xFF also occurs inside H, L and SUM (511 mm is
 * `FF 01 FF FF`). The rules, each for a failure seen in the field:
 *
 * - A window at a 0xFF whose sum fails makes the parser advance ONE byte. It is
 *   counted as one 'checksum' fault unless a frame is accepted starting inside it
 *   (then it was a misaligned look at a lost byte or at noise). Failing windows
 *   inside one still undecided are not counted again: one corrupt frame, one count.
 * - Overlapping valid windows (up to 3 bytes apart) cannot all be frames: noise
 *   can pass the sum by chance and swallow the next header. Each earns a point if
 *   the previous frame ended where it starts, and one if another frame (or, when
 *   flushing, the end of the data) starts where it ends; on a tie the later one
 *   wins, because noise comes between frames, not inside them. A winner 3 bytes
 *   on starts on the first one's 0xFF SUM: both may be real (the second lost its
 *   header), so both are kept rather than risk dropping a real frame.
 * - A decision that depends on bytes not yet received waits for them; `flush()`
 *   decides with what is there, as if the line had gone quiet (the driver calls it
 *   after a silence and when a read times out).
 *
 * Every byte that is in no accepted frame is counted in `discardedBytes`.
 */
export class UltrasonicFrameParser {
  readonly spec: UltrasonicModelSpec;
  readonly #source: string;
  readonly #counter = new OutcomeCounter();
  #buf: Uint8Array = new Uint8Array(0);
  /** Stream offset of #buf[0]. */
  #base = 0;
  /** A failed window that may still turn out to be a misaligned look (stream offset, its bytes). */
  #suspect: { readonly offset: number; readonly bytes: Uint8Array } | undefined;
  /** Stream offset of the 0xFF SUM of the last accepted frame, which the scan looks at again. */
  #shared: number | undefined;
  /** Stream offset just past the last accepted frame. */
  #lastEnd = 0;
  #discarded = 0;
  #received = 0;

  constructor(options: UltrasonicFrameParserOptions) {
    this.spec = typeof options.model === 'string' ? ULTRASONIC_MODELS[options.model] : options.model;
    this.#source = options.source ?? 'serial';
  }

  /** Feeds received bytes; returns the outcome of every frame they complete, in order. */
  push(chunk: Uint8Array): UltrasonicOutcome[] {
    if (chunk.length === 0) return [];
    this.#received += chunk.length;
    const joined = new Uint8Array(this.#buf.length + chunk.length);
    joined.set(this.#buf, 0);
    joined.set(chunk, this.#buf.length);
    this.#buf = joined;
    return this.#scan(false);
  }

  /** Decides everything still pending as if no more bytes were coming, and empties the buffer. */
  flush(): UltrasonicOutcome[] {
    return this.#scan(true);
  }

  /** Frame outcomes: ok, checksum, blind_zone, no_echo, out_of_range. */
  counts(): OutcomeCounts {
    return this.#counter.snapshot();
  }

  /** Bytes that were in no accepted frame (noise, lost-byte leftovers, corrupt frames). */
  get discardedBytes(): number {
    return this.#discarded;
  }

  /** Bytes pushed so far. */
  get receivedBytes(): number {
    return this.#received;
  }

  /** Bytes held back until more arrive (at most a few). */
  get bufferedBytes(): number {
    return this.#buf.length;
  }

  #scan(final: boolean): UltrasonicOutcome[] {
    const out: UltrasonicOutcome[] = [];
    const buf = this.#buf;
    let i = 0;
    while (i < buf.length) {
      this.#settleSuspect(i, out);
      if (buf[i] !== FRAME_HEADER) {
        i = this.#skip(i, 1);
        continue;
      }
      const window = this.#windowAt(i);
      if (window === 'incomplete') break;
      if (window === 'invalid') {
        this.#suspect ??= { offset: this.#base + i, bytes: buf.slice(i, i + FRAME_LENGTH) };
        i = this.#skip(i, 1);
        continue;
      }
      const choice = this.#choose(i, final);
      if (choice === undefined) break;
      if (choice.at > i) {
        i = this.#skip(i, choice.at - i);
        continue;
      }
      // A frame starting inside the failed window: that window was a misaligned look.
      this.#suspect = undefined;
      out.push(this.#accept(i));
      this.#lastEnd = this.#base + i + FRAME_LENGTH;
      i += choice.shareSum ? FRAME_LENGTH - 1 : FRAME_LENGTH;
      this.#shared = choice.shareSum ? this.#base + i : undefined;
    }
    if (final && i < buf.length) i = this.#skip(i, buf.length - i);
    this.#settleSuspect(i, out);
    if (final && this.#suspect !== undefined) {
      out.push(this.#checksumFault(this.#suspect.bytes));
      this.#suspect = undefined;
    }
    this.#buf = buf.subarray(i);
    this.#base += i;
    return out;
  }

  /**
   * Which of the valid windows at i..i+3 is the frame (undefined: wait for the
   * bytes that decide). A winner at i+3 starts on i's SUM, so both can be real (the
   * later one lost its header): i is kept and the scan resumes on the shared byte.
   */
  #choose(i: number, final: boolean): { readonly at: number; readonly shareSum: boolean } | undefined {
    const candidates = [i];
    for (let j = i + 1; j < i + FRAME_LENGTH; j++) {
      const window = this.#windowAt(j);
      if (window === 'incomplete' && this.#buf[j] === FRAME_HEADER && !final) return undefined;
      if (window === 'valid') candidates.push(j);
    }
    if (candidates.length === 1) return { at: i, shareSum: false };
    // Evidence for each: the previous frame ended where it starts, another frame starts where it ends.
    let best = i;
    let bestScore = -1;
    for (const c of candidates) {
      const followed = this.#followedByFrame(c, final);
      if (followed === undefined) return undefined;
      const score = (this.#base + c === this.#lastEnd ? 1 : 0) + (followed ? 1 : 0);
      if (score >= bestScore) {
        best = c;
        bestScore = score;
      }
    }
    if (best === i + FRAME_LENGTH - 1) return { at: i, shareSum: true };
    return { at: best, shareSum: false };
  }

  /**
   * Whether another frame follows a frame at c (when flushing, the end of the data
   * counts as one); undefined = not known yet.
   */
  #followedByFrame(c: number, final: boolean): boolean | undefined {
    const end = c + FRAME_LENGTH;
    if (end >= this.#buf.length) return final ? true : undefined;
    const next = this.#windowAt(end);
    if (next === 'incomplete') return final ? false : undefined;
    return next === 'valid';
  }

  #windowAt(i: number): Window {
    const buf = this.#buf;
    if (i >= buf.length) return 'incomplete';
    if (buf[i] !== FRAME_HEADER) return 'invalid';
    if (i + FRAME_LENGTH > buf.length) return 'incomplete';
    return frameChecksum(buf[i + 1]!, buf[i + 2]!) === buf[i + 3]! ? 'valid' : 'invalid';
  }

  #accept(i: number): UltrasonicOutcome {
    const mm = this.#buf[i + 1]! * 256 + this.#buf[i + 2]!;
    return this.#counter.record(classifyDistance(mm, this.spec, this.#source));
  }

  /** Once the scan is past the suspect window, no frame can start inside it any more. */
  #settleSuspect(i: number, out: UltrasonicOutcome[]): void {
    if (this.#suspect !== undefined && this.#base + i >= this.#suspect.offset + FRAME_LENGTH) {
      out.push(this.#checksumFault(this.#suspect.bytes));
      this.#suspect = undefined;
    }
  }

  #checksumFault(bytes: Uint8Array): UltrasonicOutcome {
    const expected = hexBytes(Uint8Array.of(frameChecksum(bytes[1]!, bytes[2]!)));
    const detail = `frame ${hexBytes(bytes)}, expected sum ${expected}`;
    return this.#counter.record(
      failed({
        code: 'checksum',
        message: `${this.spec.model} on ${this.#source}: checksum mismatch (${detail})`,
        hint:
          'An occasional bad frame is normal; frequent ones mean electrical noise or a wrong speed: ' +
          `shorten or shield the cable, check the ground, and use ${this.spec.baudRate} baud 8N1.`,
      }),
    );
  }

  /** Moves past `count` bytes that are in no frame (the shared SUM byte already was). */
  #skip(i: number, count: number): number {
    const sharedInside = this.#shared !== undefined && this.#shared >= this.#base + i && this.#shared < this.#base + i + count;
    this.#discarded += sharedInside ? count - 1 : count;
    return i + count;
  }
}
