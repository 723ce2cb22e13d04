/**
 * MQTT passwords as scrypt hashes in PHC string format (the config's SCRYPT_HASH_RE):
 * `$scrypt$ln=<log2 N>,r=<r>,p=<p>$<salt b64>$<hash b64>`. node:crypto does the work;
 * comparison is constant-time, and the password itself is never stored.
 */
import { randomBytes, scrypt, timingSafeEqual, type ScryptOptions } from 'node:crypto';

export interface ScryptParams {
  /** log2 of the CPU/memory cost N. */
  readonly ln: number;
  readonly r: number;
  readonly p: number;
}

/** N = 2^15, r = 8: about 32 MiB and ~0.1 s per check on a Raspberry Pi 4 (OWASP's minimum is 2^17 for logins; an MQTT node reconnects often). */
export const DEFAULT_SCRYPT: ScryptParams = { ln: 15, r: 8, p: 1 };

export interface ParsedHash {
  readonly params: ScryptParams;
  readonly salt: Buffer;
  readonly hash: Buffer;
}

const PHC = /^\$scrypt\$ln=(\d{1,2}),r=(\d{1,2}),p=(\d{1,2})\$([A-Za-z0-9+/]+={0,2})\$([A-Za-z0-9+/]+={0,2})$/;

export function parseScryptHash(text: string): ParsedHash | undefined {
  const m = PHC.exec(text);
  if (m === null) return undefined;
  const [ln, r, p] = [Number(m[1]), Number(m[2]), Number(m[3])];
  const salt = Buffer.from(m[4] ?? '', 'base64');
  const hash = Buffer.from(m[5] ?? '', 'base64');
  if (ln < 1 || ln > 24 || r < 1 || p < 1 || salt.length < 8 || hash.length < 16) return undefined;
  return { params: { ln, r, p }, salt, hash };
}

function derive(password: Buffer | string, salt: Buffer, length: number, params: ScryptParams): Promise<Buffer> {
  const N = 2 ** params.ln;
  // Node refuses more than 32 MiB by default; N=2^15, r=8 needs exactly that, plus overhead.
  const options: ScryptOptions = { N, r: params.r, p: params.p, maxmem: 128 * N * params.r * 2 + 16 * 1024 * 1024 };
  return new Promise((resolve, reject) => {
    scrypt(password, salt, length, options, (err, key) => (err === null ? resolve(key) : reject(err)));
  });
}

export async function hashPassword(password: string, params: ScryptParams = DEFAULT_SCRYPT): Promise<string> {
  const salt = randomBytes(16);
  const hash = await derive(password, salt, 32, params);
  const b64 = (b: Buffer): string => b.toString('base64').replace(/=+$/, '');
  return `$scrypt$ln=${params.ln},r=${params.r},p=${params.p}$${b64(salt)}$${b64(hash)}`;
}

/** Whether `password` matches; a malformed hash never matches. Constant-time in the comparison. */
export async function verifyPassword(password: Buffer | string, stored: ParsedHash | string): Promise<boolean> {
  const parsed = typeof stored === 'string' ? parseScryptHash(stored) : stored;
  if (parsed === undefined) return false;
  const candidate = await derive(password, parsed.salt, parsed.hash.length, parsed.params);
  return timingSafeEqual(candidate, parsed.hash);
}
