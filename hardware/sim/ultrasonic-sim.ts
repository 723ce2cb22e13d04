import type { Clock, TimerHandle } from '../clock.js';
import {
  FRAME_HEADER,
  MAX_FRAME_MM,
  TRIGGER_BYTE,
  ULTRASONIC_MODELS,
  classifyDistance,
  encodeFrame,
  type UltrasonicMode,
  type UltrasonicModel,
  type UltrasonicModelSpec,
} from '../drivers/ultrasonic-frame.js';
import type { SerialStream } from '../ports/serial.js';
import { seededRandom, type Random } from './random.js';

/**
 * Emulates an A02YYUW or JSN-SR04T on one end of a serial line (a sim pair, or a
 * real pty opened with openSerialPort): the same frames, the same blind-zone and
 * no-echo values, and the field faults users report (spikes, condensation
 * dropouts, checksum errors, line noise). It counts what it sent so tests can
 * reconcile the parser's counts with it.
 */

export interface UltrasonicFaultRates {
  /** A valid frame whose distance is off by ±spikeMm (an echo off a pipe or a ripple). */
  readonly spikeRate?: number;
  /** Default 800 mm. */
  readonly spikeMm?: number;
  /** The frame is not sent at all (condensation on the transducer). */
  readonly dropoutRate?: number;
  /** One bit of H, L or SUM flips on the line; the header stays, so the sum fails. */
  readonly checksumRate?: number;
  /** 1–6 bytes of line noise before the frame. */
  readonly garbageRate?: number;
  /** The sensor heard no echo and sends 0. */
  readonly noEchoRate?: number;
}

export interface UltrasonicSimOptions {
  readonly port: SerialStream;
  readonly model: UltrasonicModel;
  readonly mode: UltrasonicMode;
  readonly clock: Clock;
  /** The true distance to the surface at `nowMs` (clock.now()); null = nothing echoes. */
  readonly distanceMm: (nowMs: number) => number | null;
  /** Streaming: time between frames; default 100 ms. */
  readonly periodMs?: number;
  /** Triggered: time from 0x55 to the answer; default the model's measuring time. */
  readonly measuringMs?: number;
  /** Default seededRandom(1): runs replay exactly. */
  readonly random?: Random;
  readonly faults?: UltrasonicFaultRates;
  /**
   * Line noise never contains 0xFF by default: noise with 0xFF is indistinguishable
   * from a corrupt frame (the parser may count it as 'checksum') and would break
   * exact reconciliation. Set to also emit 0xFF, to stress resynchronisation.
   */
  readonly garbageWithHeaderBytes?: boolean;
}

/** What the emulator sent; every frame is exactly one of valid … corrupted. */
export interface UltrasonicSimCounts {
  /** Frames written (not dropouts): valid + blindZone + noEcho + outOfRange + corrupted. */
  readonly frames: number;
  readonly valid: number;
  readonly blindZone: number;
  readonly noEcho: number;
  readonly outOfRange: number;
  /** Frames sent with a wrong checksum. */
  readonly corrupted: number;
  /** Frames whose distance was a spike (also counted by their class above). */
  readonly spikes: number;
  readonly dropouts: number;
  readonly garbageBytes: number;
  /** 0x55 bytes received (triggered mode). */
  readonly triggers: number;
}

export type SentFrameKind = 'valid' | 'blind_zone' | 'no_echo' | 'out_of_range' | 'corrupted';

/** One frame as it went out, for tests that check every good frame is recovered. */
export interface SentFrame {
  readonly kind: SentFrameKind;
  /** The distance the frame carries (before any corruption). */
  readonly distanceMm: number;
  readonly bytes: Uint8Array;
}

const COUNT_BY_KIND = {
  valid: 'valid',
  blind_zone: 'blindZone',
  no_echo: 'noEcho',
  out_of_range: 'outOfRange',
  corrupted: 'corrupted',
} as const satisfies Record<SentFrameKind, keyof UltrasonicSimCounts>;

const DEFAULT_SPIKE_MM = 800;
const MAX_GARBAGE_BYTES = 6;

export class UltrasonicSim {
  readonly spec: UltrasonicModelSpec;
  readonly #options: UltrasonicSimOptions;
  readonly #random: Random;
  readonly #periodMs: number;
  readonly #measuringMs: number;
  readonly #counts: { -readonly [K in keyof UltrasonicSimCounts]: number } = {
    frames: 0,
    valid: 0,
    blindZone: 0,
    noEcho: 0,
    outOfRange: 0,
    corrupted: 0,
    spikes: 0,
    dropouts: 0,
    garbageBytes: 0,
    triggers: 0,
  };
  readonly #sentListeners = new Set<(frame: SentFrame) => void>();
  readonly #timers = new Set<TimerHandle>();
  #running = false;
  #unsubscribe: (() => void) | undefined;
  /** Writes in flight, so stop() can wait until the last frame is on the line. */
  #writing: Promise<void> = Promise.resolve();

  constructor(options: UltrasonicSimOptions) {
    this.spec = ULTRASONIC_MODELS[options.model];
    if (!this.spec.modes.includes(options.mode)) {
      throw new RangeError(`a ${options.model} has no ${options.mode} mode`);
    }
    this.#options = options;
    this.#random = options.random ?? seededRandom(1);
    this.#periodMs = options.periodMs ?? 100;
    this.#measuringMs = options.measuringMs ?? this.spec.measuringMs;
    if (!(this.#periodMs > 0)) throw new RangeError(`periodMs must be positive, got ${this.#periodMs}`);
  }

  get running(): boolean {
    return this.#running;
  }

  start(): void {
    if (this.#running) return;
    this.#running = true;
    const { port, mode } = this.#options;
    if (mode === 'streaming') {
      this.#schedule(this.#periodMs, () => this.#streamTick());
      return;
    }
    this.#unsubscribe = port.onData((chunk) => {
      for (const byte of chunk) {
        if (byte !== TRIGGER_BYTE) continue;
        this.#counts.triggers++;
        this.#schedule(this.#measuringMs, () => this.#emit());
      }
    });
  }

  /** Stops sending; resolves when the frames already written have left. */
  async stop(): Promise<void> {
    this.#running = false;
    this.#unsubscribe?.();
    this.#unsubscribe = undefined;
    for (const timer of this.#timers) this.#options.clock.clearTimeout(timer);
    this.#timers.clear();
    await this.#writing;
  }

  counts(): UltrasonicSimCounts {
    return { ...this.#counts };
  }

  /** Called for every frame sent (after any corruption). Returns the unsubscribe. */
  onSent(listener: (frame: SentFrame) => void): () => void {
    this.#sentListeners.add(listener);
    return () => this.#sentListeners.delete(listener);
  }

  #schedule(ms: number, fn: () => void): void {
    const timer = this.#options.clock.setTimeout(() => {
      this.#timers.delete(timer);
      fn();
    }, ms);
    this.#timers.add(timer);
  }

  #streamTick(): void {
    if (!this.running) return;
    this.#emit();
    this.#schedule(this.#periodMs, () => this.#streamTick());
  }

  #emit(): void {
    const { port, clock } = this.#options;
    const faults = this.#options.faults ?? {};
    if (!port.isOpen) return;
    if (this.#chance(faults.dropoutRate)) {
      this.#counts.dropouts++;
      return;
    }
    const distance = this.#frameDistance(this.#options.distanceMm(clock.now()), faults);
    const kind = this.#kindOf(distance);
    let bytes = encodeFrame(distance);
    let sentKind: SentFrameKind = kind;
    if (this.#chance(faults.checksumRate)) {
      bytes = this.#corrupt(bytes);
      sentKind = 'corrupted';
    }
    const garbage = this.#chance(faults.garbageRate) ? this.#garbage() : new Uint8Array(0);
    this.#counts.frames++;
    this.#counts[COUNT_BY_KIND[sentKind]]++;
    this.#counts.garbageBytes += garbage.length;
    const wire = new Uint8Array(garbage.length + bytes.length);
    wire.set(garbage, 0);
    wire.set(bytes, garbage.length);
    const sent: SentFrame = { kind: sentKind, distanceMm: distance, bytes };
    for (const listener of [...this.#sentListeners]) listener(sent);
    this.#writing = this.#writing.then(() => port.write(wire)).catch(() => undefined);
  }

  /** What the firmware puts in the frame for this true distance. */
  #frameDistance(trueMm: number | null, faults: UltrasonicFaultRates): number {
    if (trueMm === null || this.#chance(faults.noEchoRate)) return 0;
    let mm = Math.round(trueMm);
    if (this.#chance(faults.spikeRate)) {
      this.#counts.spikes++;
      mm += (this.#random.next() < 0.5 ? -1 : 1) * (faults.spikeMm ?? DEFAULT_SPIKE_MM);
    }
    // Too close to measure: the sensor reports its blind distance. Beyond the range it
    // reports what it measured, so tests can exercise 'out_of_range'.
    if (mm <= this.spec.blindZoneMm) return this.spec.blindZoneMm;
    return Math.min(mm, MAX_FRAME_MM);
  }

  #kindOf(mm: number): Exclude<SentFrameKind, 'corrupted'> {
    const outcome = classifyDistance(mm, this.spec, this.#options.port.path);
    if (outcome.ok) return 'valid';
    const code = outcome.fault.code;
    if (code === 'blind_zone' || code === 'no_echo' || code === 'out_of_range') return code;
    throw new Error(`unexpected classification ${code}`);
  }

  /** Flips one bit of H, L or SUM: a single changed byte always breaks the sum. */
  #corrupt(frame: Uint8Array): Uint8Array {
    const out = Uint8Array.from(frame);
    const index = 1 + Math.floor(this.#random.next() * 3);
    const bit = 1 << Math.floor(this.#random.next() * 8);
    out[index] = out[index]! ^ bit;
    return out;
  }

  #garbage(): Uint8Array {
    const length = 1 + Math.floor(this.#random.next() * MAX_GARBAGE_BYTES);
    const withHeader = this.#options.garbageWithHeaderBytes === true;
    return Uint8Array.from({ length }, () => {
      if (withHeader && this.#random.next() < 0.25) return FRAME_HEADER;
      return Math.floor(this.#random.next() * (withHeader ? 256 : FRAME_HEADER));
    });
  }

  #chance(rate: number | undefined): boolean {
    return rate !== undefined && rate > 0 && this.#random.next() < rate;
  }
}
