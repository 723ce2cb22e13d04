/**
 * Questions on the terminal, answered line by line. One reader for the whole
 * command: a readline per question would swallow lines typed (or piped) ahead.
 */
import { createInterface, type Interface } from 'node:readline';
import type { CliIo } from './cli-io.js';

export class Prompter {
  readonly #io: CliIo;
  readonly #lines: string[] = [];
  readonly #waiting: ((line: string | undefined) => void)[] = [];
  #rl: Interface | undefined;
  #closed = false;

  constructor(io: CliIo) {
    this.#io = io;
  }

  /** Writes the question to stderr; resolves with the trimmed answer, or undefined at end of input. */
  ask(question: string): Promise<string | undefined> {
    this.#io.stderr.write(question);
    this.#open();
    const line = this.#lines.shift();
    if (line !== undefined) return Promise.resolve(line);
    if (this.#closed) return Promise.resolve(undefined);
    return new Promise((resolve) => this.#waiting.push(resolve));
  }

  close(): void {
    this.#rl?.close();
  }

  #open(): void {
    if (this.#rl !== undefined || this.#closed) return;
    const input = this.#io.stdin;
    if (input === undefined) {
      this.#closed = true;
      return;
    }
    this.#rl = createInterface({ input, terminal: false });
    this.#rl.on('line', (line) => {
      const waiter = this.#waiting.shift();
      if (waiter !== undefined) waiter(line.trim());
      else this.#lines.push(line.trim());
    });
    this.#rl.on('close', () => {
      this.#closed = true;
      for (const waiter of this.#waiting.splice(0)) waiter(undefined);
    });
  }
}
