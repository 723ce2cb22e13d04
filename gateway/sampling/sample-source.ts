/**
 * A sample source reads one sensor once, in the sensor's own unit, and never
 * throws: a failed read is a fault value. Pollers own sources; the pipeline
 * never sees a driver.
 */
import type { SampleFault } from '../pipeline/types.js';

/** overRange: the value is a bound; the quantity is beyond what the sensor can measure (see RawSample). */
export type SourceReading =
  | { readonly value: number; readonly warmingUp?: boolean; readonly overRange?: boolean }
  | { readonly fault: SampleFault };

export interface SampleSource {
  readonly sensorId: string;
  /** Where it is, for logs and status: "/dev/i2c-1 address 0x48 AIN0". */
  readonly where: string;
  read(): Promise<SourceReading>;
  /** Sources that also report changes by themselves (a leak contact's edge). */
  subscribe?(listener: (reading: SourceReading) => void): () => void;
  close(): Promise<void>;
}

/** Turns a hardware Result into a SourceReading; the shapes are deliberately alike. */
export function fromResult<T>(
  result: { readonly ok: true; readonly value: T } | { readonly ok: false; readonly fault: SampleFault },
  pick: (value: T) => { readonly value: number; readonly warmingUp?: boolean; readonly overRange?: boolean },
): SourceReading {
  return result.ok ? pick(result.value) : { fault: result.fault };
}
