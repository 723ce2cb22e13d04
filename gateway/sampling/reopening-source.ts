/**
 * A source whose device may not be there yet, or may go away: a USB serial
 * adapter unplugged, /dev/i2c-1 missing because I2C is not enabled. Opening is
 * retried in the background of reads (at most every `retryMs`); until it works
 * every read is the opening fault with its hint, so the sensor shows as
 * disconnected with the fix — and the daemon keeps protecting with the others.
 */
import type { Clock } from '../../hardware/clock.js';
import { HardwareError } from '../../hardware/fault.js';
import type { Logger } from '../../hardware/logger.js';
import type { SampleFault, SampleFaultCode } from '../pipeline/types.js';
import type { SampleSource, SourceReading } from './sample-source.js';

export interface ReopeningOptions {
  readonly sensorId: string;
  readonly where: string;
  readonly open: () => Promise<SampleSource>;
  readonly clock: Clock;
  readonly logger: Logger;
  /** Faults after which the device is closed and opened afresh (a vanished serial port). */
  readonly reopenOn?: readonly SampleFaultCode[];
  readonly retryMs?: number;
}

export function reopeningSource(options: ReopeningOptions): SampleSource {
  const { sensorId, where, open, clock, logger, reopenOn = [], retryMs = 30_000 } = options;
  let source: SampleSource | undefined;
  let lastFault: SampleFault | undefined;
  let lastAttempt = -Infinity;
  const listeners = new Set<(reading: SourceReading) => void>();
  let unsubscribe: (() => void) | undefined;

  const attach = (opened: SampleSource): void => {
    source = opened;
    unsubscribe = opened.subscribe?.((reading) => listeners.forEach((l) => l(reading)));
  };
  const detach = async (): Promise<void> => {
    const old = source;
    source = undefined;
    unsubscribe?.();
    unsubscribe = undefined;
    await old?.close().catch((err: unknown) => logger.debug({ err, sensor: sensorId }, 'close after fault failed'));
  };

  const ensureOpen = async (): Promise<SampleSource | undefined> => {
    if (source !== undefined) return source;
    const now = clock.monotonic();
    if (now - lastAttempt < retryMs) return undefined;
    lastAttempt = now;
    try {
      attach(await open());
      if (lastFault !== undefined) logger.info({ sensor: sensorId, where }, 'device is back');
      lastFault = undefined;
      return source;
    } catch (err) {
      const fault = toFault(err, where);
      if (lastFault?.message !== fault.message) logger.warn({ sensor: sensorId, hint: fault.hint }, fault.message);
      lastFault = fault;
      return undefined;
    }
  };

  return {
    sensorId,
    where,
    async read(): Promise<SourceReading> {
      const opened = await ensureOpen();
      if (opened === undefined) return { fault: lastFault ?? { code: 'missing', message: `${where} is not open` } };
      const reading = await opened.read();
      if ('fault' in reading && reopenOn.includes(reading.fault.code)) {
        lastFault = reading.fault;
        lastAttempt = clock.monotonic() - retryMs / 2; // the first retry comes sooner than the usual period
        await detach();
      }
      return reading;
    },
    subscribe(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
    close: detach,
  };
}

/** A HardwareError keeps its code and hint (what to fix); anything else is an 'io' fault. */
function toFault(err: unknown, where: string): SampleFault {
  if (err instanceof HardwareError) {
    return { code: err.code, message: err.message, ...(err.hint !== undefined ? { hint: err.hint } : {}) };
  }
  return { code: 'io', message: `${where}: ${err instanceof Error ? err.message : String(err)}` };
}
