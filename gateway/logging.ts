/**
 * pino for the daemon and CLI: JSON lines on stdout in production (journald keeps
 * them), human-readable only on a TTY or when asked. Components get child loggers
 * (`logger.child({ component: 'sampling' })`); nothing logs through a global.
 */
import { createRequire } from 'node:module';
import { pino, type Logger as PinoLogger } from 'pino';
import type PinoPretty from 'pino-pretty';

// pino-pretty (and its colour and date libraries) is loaded only for a terminal:
// journald gets JSON, and the daemon on a Pi does not carry the pretty printer.
const requireCjs = createRequire(import.meta.url);

export type LogLevel = 'trace' | 'debug' | 'info' | 'warn' | 'error' | 'fatal' | 'silent';

export interface LoggingOptions {
  readonly level?: LogLevel;
  /** 'auto' = pretty when stdout is a terminal. */
  readonly pretty?: boolean | 'auto';
  /** Where lines go; stdout by default (tests pass a collecting stream). */
  readonly destination?: NodeJS.WritableStream;
}

export type AppLogger = PinoLogger;

export function createLogger(options: LoggingOptions = {}): AppLogger {
  const destination = options.destination ?? process.stdout;
  const wantPretty =
    options.pretty === 'auto' || options.pretty === undefined
      ? (destination as { isTTY?: boolean }).isTTY === true
      : options.pretty;
  const base = { level: options.level ?? 'info', base: { pid: process.pid } };
  if (wantPretty) {
    // Synchronous pretty stream: no transport worker thread on a small Pi.
    const pretty = requireCjs('pino-pretty') as typeof PinoPretty;
    const stream = pretty({ destination, sync: true, colorize: (destination as { isTTY?: boolean }).isTTY === true, ignore: 'pid,hostname' });
    return pino(base, stream);
  }
  return pino({ ...base, timestamp: pino.stdTimeFunctions.isoTime }, destination);
}
