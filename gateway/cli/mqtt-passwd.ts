/**
 * `easygas mqtt passwd <user> [--nodes a,b]`: asks for a password (twice, hidden, on
 * a terminal; else the first line of stdin) and prints the `users:` entry to paste
 * under `mqtt:` in gateway.yaml, with a scrypt hash — never the password itself.
 */
import type { Readable, Writable } from 'node:stream';
import { EXIT_USAGE } from '../errors.js';
import { hashPassword } from '../mqtt/password-hash.js';

export interface PasswdIo {
  readonly stdin: Readable & { isTTY?: boolean; setRawMode?: (raw: boolean) => unknown };
  readonly stdout: Writable;
  readonly stderr: Writable;
}

const NODE_ID = /^[a-z0-9][a-z0-9_-]*$/;

/** Reads a line without echoing it (raw mode); Ctrl-C cancels. */
function askHidden(prompt: string, io: PasswdIo): Promise<string> {
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

async function firstLine(stdin: Readable): Promise<string> {
  let text = '';
  for await (const chunk of stdin) {
    text += String(chunk);
    if (text.includes('\n')) break;
  }
  return text.split(/\r?\n/)[0] ?? '';
}

export async function runMqttPasswd(user: string, options: { nodes?: string }, io: PasswdIo): Promise<number> {
  const nodes = options.nodes === undefined ? [] : options.nodes.split(',').map((n) => n.trim()).filter((n) => n !== '');
  const badNode = nodes.find((n) => !NODE_ID.test(n));
  if (user.trim() === '' || badNode !== undefined) {
    io.stderr.write(`easygas: ${badNode !== undefined ? `"${badNode}" is not a node id (lowercase letters, digits, - and _)` : 'the user name is empty'}\n`);
    return EXIT_USAGE;
  }
  let password: string;
  try {
    if (io.stdin.isTTY === true) {
      password = await askHidden(`Password for ${user}: `, io);
      if ((await askHidden('Again: ', io)) !== password) {
        io.stderr.write('easygas: the passwords differ; nothing printed\n');
        return EXIT_USAGE;
      }
    } else {
      password = await firstLine(io.stdin);
    }
  } catch {
    io.stderr.write('easygas: cancelled\n');
    return EXIT_USAGE;
  }
  if (password === '') {
    io.stderr.write('easygas: an empty password is no password; nothing printed\n');
    return EXIT_USAGE;
  }
  const hash = await hashPassword(password);
  io.stdout.write(
    `# Paste under mqtt: users: in gateway.yaml${nodes.length > 0 ? ' (a Wi-Fi node: it may publish only for its nodes)' : ''}\n` +
      `- username: ${JSON.stringify(user)}\n  passwordHash: "${hash}"\n  nodes: [${nodes.join(', ')}]\n`,
  );
  return 0;
}
