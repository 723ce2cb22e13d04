/** A logical level: 1 = active (after any active-low inversion), 0 = inactive. */
export type Level = 0 | 1;

export interface DigitalInput {
  /** What to call the pin in messages, e.g. "GPIO17". */
  readonly name: string;
  read(): Promise<Level>;
  /** Edge events: `listener` gets the new level on every change. Returns the unsubscribe. */
  watch(listener: (level: Level) => void): () => void;
  close(): Promise<void>;
}

export interface DigitalOutput {
  readonly name: string;
  write(level: Level): Promise<void>;
  /** The level last written. */
  readonly level: Level;
  /** Drives the output inactive, then releases it. */
  close(): Promise<void>;
}

export interface InputOptions {
  /** Report a low pin as 1 (a contact that pulls the line to ground when wet). */
  readonly activeLow?: boolean;
}

export interface OutputOptions {
  readonly activeLow?: boolean;
}

/**
 * GPIO lines by BCM number (GPIO17 = 17, header pin 11). The Pi backend maps
 * them to the kernel's numbering; the simulator uses them as they are.
 */
export interface Gpio {
  openInput(line: number, options?: InputOptions): Promise<DigitalInput>;
  openOutput(line: number, options?: OutputOptions): Promise<DigitalOutput>;
}
