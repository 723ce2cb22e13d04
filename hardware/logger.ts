/**
 * The logging surface hardware code needs. A pino logger satisfies it; hardware/
 * never imports pino itself (see docs/architecture.md, "Who imports whom").
 */
export interface Logger {
  debug(obj: object, msg?: string): void;
  info(obj: object, msg?: string): void;
  warn(obj: object, msg?: string): void;
  error(obj: object, msg?: string): void;
}

const noop = (): void => undefined;

/** A logger that drops everything: the default when a caller passes none. */
export const silentLogger: Logger = Object.freeze({ debug: noop, info: noop, warn: noop, error: noop });
