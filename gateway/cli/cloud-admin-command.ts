/**
 * `easygas cloud admin create --email … [--name …] [--db …]`: an admin account,
 * which self-registration can never make. The password is asked twice without
 * echo on a terminal, or read from the first line of stdin (for scripts).
 */
import { EXIT_USAGE } from '../errors.js';
import { cloudDb } from './cloud-command.js';
import { readNewPassword, type PasswdIo } from './password-input.js';

export interface AdminCreateOptions {
  readonly email: string;
  readonly name?: string;
  readonly db?: string;
}

/** The same rules as registration: an email address, a password of 10 to 256 characters, a name of 1 to 120. */
const EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;

export async function runCloudAdminCreate(options: AdminCreateOptions, io: PasswdIo): Promise<number> {
  const email = options.email.trim();
  const name = (options.name ?? 'Administrator').trim();
  if (!EMAIL.test(email) || email.length > 254) return usage(io, `"${options.email}" is not an email address`);
  if (name === '' || name.length > 120) return usage(io, 'the name must be 1 to 120 characters');
  const read = await readNewPassword(`Password for ${email}: `, io);
  if ('problem' in read) return usage(io, `${read.problem}; no account created`);
  if (read.password.length < 10 || read.password.length > 256) return usage(io, 'the password must be 10 to 256 characters (a few words make a good one); no account created');
  const { createAdminAccount, CloudStartError } = await import('../../cloud-sync/server/main.js');
  try {
    const created = await createAdminAccount(cloudDb(options.db), { email, name, password: read.password });
    if (!created.ok) {
      io.stderr.write(`easygas cloud admin create: an account with ${email} exists already; nothing changed\n`);
      return 1;
    }
    io.stdout.write(`admin ${created.email} created (id ${created.id}): sign in at /api/auth/login or in the dashboard\n`);
    return 0;
  } catch (error) {
    if (error instanceof CloudStartError) {
      io.stderr.write(`easygas cloud admin create: ${error.message}\n  ${error.hint}\n`);
      return 1;
    }
    throw error;
  }
}

function usage(io: PasswdIo, message: string): number {
  io.stderr.write(`easygas cloud admin create: ${message}\n`);
  return EXIT_USAGE;
}
