/**
 * Typed outcomes of hardware reads. A driver never throws out of a read on bad
 * data or a flaky bus: it returns a Fault, counts it, and the caller decides what
 * the sensor's health is.
 */
export type FaultCode =
  /** The device node or sysfs entry does not exist (ENOENT). */
  | 'missing'
  /** The process may not open the device (EACCES/EPERM). */
  | 'permission'
  /** Nothing acknowledged at the I2C address (EIO/EREMOTEIO/ENXIO). */
  | 'no_ack'
  /** Another process holds the device (EBUSY, serial lock, GPIO exported). */
  | 'busy'
  /** The device did not answer in time. */
  | 'timeout'
  /** A frame arrived but its checksum was wrong. */
  | 'checksum'
  /** An ultrasonic sensor heard no echo (0, or its maximum range). */
  | 'no_echo'
  /** The target is inside the sensor's blind zone. */
  | 'blind_zone'
  /** A value outside what the sensor can physically report. */
  | 'out_of_range'
  /** A 1-Wire read whose CRC line did not say YES. */
  | 'crc'
  /** A value that is a known power-on or default pattern (DS18B20 85.000 °C). */
  | 'suspect'
  /** The port was closed while a read waited. */
  | 'closed'
  /** Any other I/O error; the message carries the errno. */
  | 'io';

/** Every FaultCode, at run time (a Wi-Fi node may name one in its payload). */
export const FAULT_CODES = [
  'missing', 'permission', 'no_ack', 'busy', 'timeout', 'checksum', 'no_echo', 'blind_zone', 'out_of_range', 'crc', 'suspect', 'closed', 'io',
] as const satisfies readonly FaultCode[];
// Compiles only while the list names every code.
export type FaultCodesComplete = [Exclude<FaultCode, (typeof FAULT_CODES)[number]>] extends [never] ? true : never;
const faultCodesComplete: FaultCodesComplete = true;
void faultCodesComplete;

export function isFaultCode(text: string): text is FaultCode {
  return (FAULT_CODES as readonly string[]).includes(text);
}

export interface Fault {
  readonly code: FaultCode;
  /** What happened, with the device and address it happened on. */
  readonly message: string;
  /** What the user should check or run next. */
  readonly hint?: string;
}

export type Result<T> =
  | { readonly ok: true; readonly value: T }
  | { readonly ok: false; readonly fault: Fault };

export function ok<T>(value: T): Result<T> {
  return { ok: true, value };
}

export function failed<T = never>(fault: Fault): Result<T> {
  return { ok: false, fault };
}

/** Thrown where a fault cannot be returned (opening a port); carries the same fields. */
export class HardwareError extends Error implements Fault {
  readonly code: FaultCode;
  readonly hint?: string;

  constructor(fault: Fault, options?: { cause?: unknown }) {
    super(fault.message, options);
    this.name = 'HardwareError';
    this.code = fault.code;
    if (fault.hint !== undefined) this.hint = fault.hint;
  }
}

/** Counts of each outcome of a driver's reads: `ok` plus one entry per fault code. */
export type OutcomeCounts = Readonly<Partial<Record<FaultCode | 'ok', number>>>;

export class OutcomeCounter {
  readonly #counts = new Map<FaultCode | 'ok', number>();

  add(outcome: FaultCode | 'ok'): void {
    this.#counts.set(outcome, (this.#counts.get(outcome) ?? 0) + 1);
  }

  /** Records a result's outcome and passes it through. */
  record<T>(result: Result<T>): Result<T> {
    this.add(result.ok ? 'ok' : result.fault.code);
    return result;
  }

  get(outcome: FaultCode | 'ok'): number {
    return this.#counts.get(outcome) ?? 0;
  }

  snapshot(): OutcomeCounts {
    return Object.freeze(Object.fromEntries(this.#counts));
  }
}
