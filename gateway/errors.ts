/**
 * The catalogue of errors a user can hit (docs/architecture.md, "Conventions"): one table, one
 * code per situation, each with a message and a hint that says what to do next.
 * Other parts add their codes here, so `easygas` never has two words for one problem.
 *
 * Templates name their parameters in braces ("config file {path} not found"); the
 * parameters of a code are checked at compile time by createError.
 */

/** sysexits.h EX_CONFIG: systemd's RestartPreventExitStatus=78 stops a restart loop on a bad config. */
export const EXIT_CONFIG = 78;
/** sysexits.h EX_DATAERR: a file given to a command is not what it must be (restore's FILE). */
export const EXIT_DATA_ERR = 65;
/** sysexits.h EX_CANTCREAT. */
export const EXIT_CANT_CREATE = 73;
/** sysexits.h EX_UNAVAILABLE. */
export const EXIT_UNAVAILABLE = 69;
/** sysexits.h EX_USAGE. */
export const EXIT_USAGE = 64;

export interface ErrorEntry {
  readonly message: string;
  readonly hint: string;
  /** The process exit status when this error stops a command or the daemon. */
  readonly exitCode?: number;
}

export const ERRORS = {
  EASYGAS_CONFIG_NOT_FOUND: {
    message: 'config file {path} not found',
    hint:
      'Create it from the documented example (gateway.example.yaml in the easygas package, gateway/config/), ' +
      'or point to yours with --config FILE or EASYGAS_CONFIG=FILE.',
    exitCode: EXIT_CONFIG,
  },
  EASYGAS_CONFIG_UNREADABLE: {
    message: 'cannot read config file {path}: {reason}',
    hint: 'Let the service user read it, e.g. `sudo chgrp easygas {path} && sudo chmod 640 {path}`.',
    exitCode: EXIT_CONFIG,
  },
  EASYGAS_CONFIG_SYNTAX: {
    message: '{path}:{line}:{column}: YAML syntax error: {reason}',
    hint: 'Fix the YAML at that line: indent with spaces (never tabs), and quote values that contain ": " or " #".',
    exitCode: EXIT_CONFIG,
  },
  EASYGAS_CONFIG_INVALID: {
    message: '{path} has {count}',
    hint: 'Fix each error listed (path: message, line); `easygas config check` checks the file again without starting anything.',
    exitCode: EXIT_CONFIG,
  },
  EASYGAS_CONFIG_TOO_NEW: {
    message: '{path} is config version {found}, but this easygas reads versions up to {supported}',
    hint: 'Upgrade easygas, or go back to the config file the newer version backed up before it rewrote this one.',
    exitCode: EXIT_CONFIG,
  },
  EASYGAS_ENV_OVERRIDE_UNKNOWN: {
    message: 'environment variable {name} matches no config setting{suggestion}',
    hint:
      'An override is EASYGAS_ + the key path in SCREAMING_SNAKE_CASE (mqtt.port → EASYGAS_MQTT_PORT; ' +
      'sensors by id or index: EASYGAS_SENSORS_LPG_INTERVAL, EASYGAS_SENSORS_0_INTERVAL). Fix the name or unset it.',
    exitCode: EXIT_CONFIG,
  },
  EASYGAS_DATA_DIR_UNWRITABLE: {
    message: 'data directory {path} is not writable: {reason}',
    hint:
      'Create it for the service user (`sudo install -d -o easygas -g easygas {path}`), ' +
      'or choose another with gateway.dataDir, --data-dir or EASYGAS_DATA_DIR.',
    exitCode: EXIT_CANT_CREATE,
  },
  EASYGAS_PORT_IN_USE: {
    message: 'port {port} is in use{by}',
    hint: 'Set {setting} (or {envVar}) to a free port{alternative}.',
    exitCode: EXIT_UNAVAILABLE,
  },
  EASYGAS_SENSOR_UNKNOWN: {
    message: 'no sensor has the id "{id}"',
    hint: 'Use one of the ids in the config file: {known}.',
    exitCode: EXIT_USAGE,
  },
} as const satisfies Record<string, ErrorEntry>;

export type ErrorCode = keyof typeof ERRORS;

/** The names between braces in a template: "a {x} b {y}" → "x" | "y". */
type TemplateParams<T extends string> = T extends `${string}{${infer Name}}${infer Rest}`
  ? Name | TemplateParams<Rest>
  : never;

export type ErrorParams<C extends ErrorCode> = Readonly<
  Record<TemplateParams<(typeof ERRORS)[C]['message']> | TemplateParams<(typeof ERRORS)[C]['hint']>, string | number>
>;

export interface ErrorOptions {
  /** Structured data a caller or `--json` can use, e.g. the list of config issues. */
  readonly details?: unknown;
  readonly cause?: unknown;
}

export class EasygasError extends Error {
  override readonly name = 'EasygasError';
  readonly code: ErrorCode;
  readonly hint: string;
  readonly exitCode: number | undefined;
  readonly details: unknown;

  constructor(code: ErrorCode, message: string, hint: string, options: ErrorOptions = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.code = code;
    this.hint = hint;
    const entry: ErrorEntry = ERRORS[code];
    this.exitCode = entry.exitCode;
    this.details = options.details;
  }
}

/** Fills "{name}" placeholders; an unknown name stays visible rather than vanishing. */
export function renderTemplate(template: string, params: Readonly<Record<string, string | number>>): string {
  return template.replace(/\{(\w+)\}/g, (whole, name: string) =>
    Object.hasOwn(params, name) ? String(params[name]) : whole,
  );
}

export function createError<C extends ErrorCode>(code: C, params: ErrorParams<C>, options: ErrorOptions = {}): EasygasError {
  const entry: ErrorEntry = ERRORS[code];
  const values = params as Readonly<Record<string, string | number>>;
  return new EasygasError(code, renderTemplate(entry.message, values), renderTemplate(entry.hint, values), options);
}

export function isEasygasError(value: unknown, code?: ErrorCode): value is EasygasError {
  return value instanceof EasygasError && (code === undefined || value.code === code);
}

/** "message\n  hint": how a command prints an error on stderr. */
export function formatError(error: EasygasError): string {
  return `${error.code}: ${error.message}\n  ${error.hint}`;
}
