/**
 * `easygas mqtt passwd <user> [--nodes a,b]`: asks for a password (twice, hidden, on
 * a terminal; else the first line of stdin) and prints the `users:` entry to paste
 * under `mqtt:` in gateway.yaml, with a scrypt hash — never the password itself.
 */
import { EXIT_USAGE } from '../errors.js';
import { hashPassword } from '../mqtt/password-hash.js';
import { readNewPassword, type PasswdIo } from './password-input.js';

export type { PasswdIo } from './password-input.js';

const NODE_ID = /^[a-z0-9][a-z0-9_-]*$/;

export async function runMqttPasswd(user: string, options: { nodes?: string }, io: PasswdIo): Promise<number> {
  const nodes = options.nodes === undefined ? [] : options.nodes.split(',').map((n) => n.trim()).filter((n) => n !== '');
  const badNode = nodes.find((n) => !NODE_ID.test(n));
  if (user.trim() === '' || badNode !== undefined) {
    io.stderr.write(`easygas: ${badNode !== undefined ? `"${badNode}" is not a node id (lowercase letters, digits, - and _)` : 'the user name is empty'}\n`);
    return EXIT_USAGE;
  }
  const read = await readNewPassword(`Password for ${user}: `, io);
  if ('problem' in read) {
    io.stderr.write(`easygas: ${read.problem}; nothing printed\n`);
    return EXIT_USAGE;
  }
  const { password } = read;
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
