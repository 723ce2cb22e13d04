/**
 * A password from the operator: asked twice without echo on a terminal, else the
 * first line of stdin (for scripts). Never an argument, which `ps` and shell
 * history would show.
 */
import type { Readable, Writable } from 'node:stream';

export interface PasswdIo {
  readonly stdin: Readable & { isTTY?: boolean; setRawMode?: (raw: boolean) => unknown };
  readonly stdout: Writable;
  readonly stderr: Writable;
}

/** Reads a line without echoing it (raw mode); Ctrl-C cancels. */
export function askHidden(prompt: string, io: PasswdIo): Promise<string> {
  const { stdin, stderr } = io;
  stderr.write(prompt);
  stdin.setRawMode?.(true);
  stdin.setEncoding('utf8');
  stdin.resume();
  return new Promise((resolve, reject) => {
    let value = '';
    const finish = (): void => {
      stdin.setRawMode?.(false);
      stdin.pause();
      stdin.off('data', onData);
      stderr.write('\n');
    };
    const onData = (chunk: string): void => {
      for (const ch of chunk) {
        if (ch === '\r' || ch === '\n') {
          finish();
          resolve(value);
          return;
        }
        if (ch === '\u0003') {
          finish();
          reject(new Error('cancelled'));
          return;
        }
        value = ch === '\u007f' || ch === '\b' ? value.slice(0, -1) : value + ch;
      }
    };
    stdin.on('data', onData);
  });
}

export async function firstLine(stdin: Readable): Promise<string> {
  let text = '';
  for await (const chunk of stdin) {
    text += String(chunk);
    if (text.includes('\n')) break;
  }
  return text.split(/\r?\n/)[0] ?? '';
}

/** The password, or a message saying why there is none (the two typings differ, cancelled). */
export async function readNewPassword(prompt: string, io: PasswdIo): Promise<{ password: string } | { problem: string }> {
  try {
    if (io.stdin.isTTY !== true) return { password: await firstLine(io.stdin) };
    const password = await askHidden(prompt, io);
    if ((await askHidden('Again: ', io)) !== password) return { problem: 'the passwords differ' };
    return { password };
  } catch {
    return { problem: 'cancelled' };
  }
}
