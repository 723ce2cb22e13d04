/**
 * `easygas cloud supplier create --email … --company … --postal-codes … --tiers …`:
 * a supplier account with its profile (service areas, price tiers per product, lead
 * time), so the supplier can act on its orders through the API. The password is
 * asked twice without echo on a terminal, or read from the first line of stdin.
 */
import { EXIT_USAGE } from '../errors.js';
import { cloudDb } from './cloud-command.js';
import { readNewPassword, type PasswdIo } from './password-input.js';
import { parseTiers, type PriceTier, type ProductName } from './supplier-tiers.js';

export interface SupplierCreateOptions {
  readonly email: string;
  readonly company: string;
  readonly postalCodes: string;
  readonly tiers: readonly string[];
  readonly currency?: string;
  readonly leadTimeDays?: number;
  readonly name?: string;
  readonly db?: string;
}

const EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;

export async function runCloudSupplierCreate(options: SupplierCreateOptions, io: PasswdIo): Promise<number> {
  const email = options.email.trim();
  if (!EMAIL.test(email) || email.length > 254) return usage(io, `"${options.email}" is not an email address`);
  const postalCodes = options.postalCodes.split(',').map((c) => c.trim()).filter((c) => c !== '');
  if (postalCodes.length === 0) return usage(io, '--postal-codes: at least one postal code, comma-separated');
  const prices: Partial<Record<ProductName, PriceTier[]>> = {};
  for (const spec of options.tiers) {
    const parsed = parseTiers(spec);
    if (!parsed.ok) return usage(io, `--tiers ${parsed.problem}`);
    prices[parsed.product] = parsed.tiers;
  }
  if (Object.keys(prices).length === 0) return usage(io, '--tiers: at least one product, e.g. --tiers lpg=100-499:0.9000,500-:0.8523');
  const read = await readNewPassword(`Password for ${email}: `, io);
  if ('problem' in read) return usage(io, `${read.problem}; no account created`);
  if (read.password.length < 10 || read.password.length > 256) return usage(io, 'the password must be 10 to 256 characters; no account created');
  const { createSupplierAccount, CloudStartError } = await import('../../cloud-sync/server/main.js');
  try {
    const created = await createSupplierAccount(cloudDb(options.db), {
      email,
      password: read.password,
      name: (options.name ?? options.company).trim(),
      company: options.company,
      currency: (options.currency ?? 'EUR').toUpperCase(),
      leadTimeDays: options.leadTimeDays ?? 2,
      postalCodes,
      prices,
    });
    if (!created.ok) {
      if (created.reason === 'invalid') return usage(io, `${created.problems ?? 'invalid profile'}; no account created`);
      io.stderr.write(`easygas cloud supplier create: an account with ${email} exists already; nothing changed\n`);
      return 1;
    }
    io.stdout.write(`supplier ${options.company} created (supplier id ${created.supplierId}, account ${created.email}): it signs in at /api/auth/login and sees its orders at /api/supplier/orders\n`);
    return 0;
  } catch (error) {
    if (error instanceof CloudStartError) {
      io.stderr.write(`easygas cloud supplier create: ${error.message}\n  ${error.hint}\n`);
      return 1;
    }
    throw error;
  }
}

function usage(io: PasswdIo, message: string): number {
  io.stderr.write(`easygas cloud supplier create: ${message}\n`);
  return EXIT_USAGE;
}
