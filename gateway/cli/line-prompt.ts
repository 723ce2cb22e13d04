/** Asks one question on the terminal and resolves with the answer line (undefined at end of input). */
import { createInterface } from 'node:readline';
import type { CliIo } from './cli-io.js';

export function promptLine(io: CliIo, question: string): Promise<string | undefined> {
  const input = io.stdin;
  if (input === undefined) return Promise.resolve(undefined);
  return new Promise((resolve) => {
    const rl = createInterface({ input, output: io.stderr, terminal: false });
    let answered = false;
    io.stderr.write(question);
    rl.once('line', (line) => {
      answered = true;
      rl.close();
      resolve(line.trim());
    });
    rl.once('close', () => {
      if (!answered) resolve(undefined);
    });
  });
}
