import type { Fault } from '../fault.js';
import { faultFromIoError } from '../io-error.js';
import type { SerialStream } from '../ports/serial.js';
import type { Random } from './random.js';

/**
 * Two in-memory ends of a serial line, like a null-modem cable: bytes written to
 * one end arrive at the other. Delivery is asynchronous (never inside write()) and
 * in order, one chunk per microtask, so it completes within a ManualClock step.
 */

/** Splits the bytes of one write into the chunks the reader will receive. */
export type Chunking = (bytes: Uint8Array) => Uint8Array[];

export interface SerialPairOptions {
  /** How writes are split on the way; default: each write arrives whole. */
  readonly chunking?: Chunking;
}

export interface SimSerialEnd extends SerialStream {
  /** Simulates an unplugged adapter: both ends close with an 'io' fault. */
  disconnect(): void;
}

/** Cuts every write into random pieces of 1..maxChunk bytes (exercises resync across chunk boundaries). */
export function randomChunking(random: Random, maxChunk = 3): Chunking {
  return (bytes) => {
    const chunks: Uint8Array[] = [];
    for (let at = 0; at < bytes.length; ) {
      const size = 1 + Math.floor(random.next() * maxChunk);
      chunks.push(bytes.slice(at, at + size));
      at += size;
    }
    return chunks;
  };
}

/** Cuts every write into single bytes. */
export const byteByByte: Chunking = (bytes) => Array.from(bytes, (b) => Uint8Array.of(b));

class Line {
  readonly ends: SimEnd[] = [];
  open = true;
}

class SimEnd implements SimSerialEnd {
  readonly path: string;
  readonly #line: Line;
  readonly #chunking: Chunking | undefined;
  readonly #dataListeners = new Set<(chunk: Uint8Array) => void>();
  readonly #closeListeners = new Set<(fault?: Fault) => void>();
  /** Chunks on their way to this end. */
  readonly #inbox: Uint8Array[] = [];
  #pumping = false;
  #closeNotified = false;

  constructor(path: string, line: Line, chunking: Chunking | undefined) {
    this.path = path;
    this.#line = line;
    this.#chunking = chunking;
  }

  get isOpen(): boolean {
    return this.#line.open;
  }

  write(bytes: Uint8Array): Promise<void> {
    if (!this.#line.open) return Promise.reject(new Error(`${this.path}: Port is not open`));
    const copy = Uint8Array.from(bytes);
    const chunks = this.#chunking ? this.#chunking(copy) : [copy];
    this.#peer().#receive(chunks.filter((c) => c.length > 0));
    return Promise.resolve();
  }

  onData(listener: (chunk: Uint8Array) => void): () => void {
    this.#dataListeners.add(listener);
    return () => this.#dataListeners.delete(listener);
  }

  onClose(listener: (fault?: Fault) => void): () => void {
    this.#closeListeners.add(listener);
    return () => this.#closeListeners.delete(listener);
  }

  close(): Promise<void> {
    this.#end(undefined);
    return Promise.resolve();
  }

  disconnect(): void {
    // The same errno a vanished USB adapter gives, so the fault and its hint match the real port's.
    this.#end(new Error('Input/output error (simulated unplug)'));
  }

  #end(cause: Error | undefined): void {
    if (!this.#line.open) return;
    this.#line.open = false;
    for (const end of this.#line.ends) {
      const fault = cause === undefined ? undefined : faultFromIoError(cause, { kind: 'serial', device: end.path });
      end.#inbox.length = 0;
      queueMicrotask(() => end.#notifyClose(fault));
    }
  }

  #notifyClose(fault: Fault | undefined): void {
    if (this.#closeNotified) return;
    this.#closeNotified = true;
    for (const listener of [...this.#closeListeners]) listener(fault);
    this.#closeListeners.clear();
    this.#dataListeners.clear();
  }

  #peer(): SimEnd {
    const peer = this.#line.ends.find((e) => e !== this);
    if (peer === undefined) throw new Error('serial pair without a peer');
    return peer;
  }

  #receive(chunks: Uint8Array[]): void {
    this.#inbox.push(...chunks);
    if (this.#pumping) return;
    this.#pumping = true;
    queueMicrotask(() => this.#pump());
  }

  #pump(): void {
    const chunk = this.#inbox.shift();
    if (chunk === undefined || !this.#line.open) {
      this.#pumping = false;
      return;
    }
    for (const listener of [...this.#dataListeners]) listener(chunk);
    queueMicrotask(() => this.#pump());
  }
}

/** Two connected ends; closing either closes both (onClose without a fault). */
export function createSerialPair(
  pathA = 'sim:ttyA',
  pathB = 'sim:ttyB',
  options: SerialPairOptions = {},
): [SimSerialEnd, SimSerialEnd] {
  const line = new Line();
  const a = new SimEnd(pathA, line, options.chunking);
  const b = new SimEnd(pathB, line, options.chunking);
  line.ends.push(a, b);
  return [a, b];
}
