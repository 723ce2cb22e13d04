/**
 * How a command talks to its user: stdout for results, stderr for errors (each
 * with what to do next) and progress. Commands take a CliIo, so tests capture it.
 */
import type { Readable, Writable } from 'node:stream';

export interface CliIo {
  readonly stdout: Writable;
  readonly stderr: Writable;
  readonly stdin?: Readable;
  /** True when a person is at the terminal: prompts and progress are shown. */
  readonly interactive?: boolean;
}

export function processIo(): CliIo {
  return { stdout: process.stdout, stderr: process.stderr, stdin: process.stdin, interactive: process.stdin.isTTY && process.stderr.isTTY };
}

/** A failure a user can act on: the message, then what to do. */
export class CliError extends Error {
  override readonly name = 'CliError';
  constructor(
    message: string,
    readonly hint: string,
    readonly exitCode = 1,
  ) {
    super(message);
  }
}

/** Prints an error the catalogue way and returns the exit code. */
export function report(io: CliIo, err: unknown): number {
  if (err instanceof CliError) {
    io.stderr.write(`easygas: ${err.message}\n  ${err.hint}\n`);
    return err.exitCode;
  }
  io.stderr.write(`easygas: ${err instanceof Error ? err.message : String(err)}\n  This is unexpected: please report it with the command you ran.\n`);
  return 1;
}

export function printJson(io: CliIo, value: unknown): void {
  io.stdout.write(`${JSON.stringify(value, null, 2)}\n`);
}

/** Runs a command body, turning any thrown error into stderr text and an exit code. */
export async function runCommand(io: CliIo, body: () => Promise<number | void>): Promise<number> {
  try {
    return (await body()) ?? 0;
  } catch (err) {
    return report(io, err);
  }
}
