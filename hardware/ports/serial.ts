import type { Fault } from '../fault.js';

/** Our serial sensors all speak 8N1; only the path and speed vary. */
export interface SerialSettings {
  readonly path: string;
  readonly baudRate: number;
}

/** A byte stream to one serial device (a UART, a USB adapter, a pty, or a simulator). */
export interface SerialStream {
  readonly path: string;
  write(bytes: Uint8Array): Promise<void>;
  /** Subscribes to incoming bytes; returns the unsubscribe function. */
  onData(listener: (chunk: Uint8Array) => void): () => void;
  /**
   * Called once when the stream ends: `fault` is set when it failed (adapter
   * unplugged), unset after close().
   */
  onClose(listener: (fault?: Fault) => void): () => void;
  readonly isOpen: boolean;
  close(): Promise<void>;
}

/** Opens a serial device; rejects with a HardwareError whose hint says what to fix. */
export type SerialOpener = (settings: SerialSettings) => Promise<SerialStream>;
