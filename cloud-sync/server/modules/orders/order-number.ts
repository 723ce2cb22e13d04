/**
 * Order numbers people read out on the phone: "WO-7KQ2-M9XD". Eight characters of
 * Crockford's base-32 (no I, L, O or U: nothing to mistake for 1, 0 or a rude word)
 * from 40 random bits, so one order's number says nothing about the next. Uniqueness
 * is the database's job (a unique index); on the rare clash the caller draws again.
 */
import { randomBytes } from 'node:crypto';

const ALPHABET = '0123456789ABCDEFGHJKMNPQRSTVWXYZ';
const PATTERN = /^WO-[0-9A-HJKMNP-TV-Z]{4}-[0-9A-HJKMNP-TV-Z]{4}$/;

export function newOrderNumber(random: (bytes: number) => Buffer = randomBytes): string {
  const bits = random(5).reduce((acc, byte) => (acc << 8n) | BigInt(byte), 0n);
  let chars = '';
  for (let i = 7; i >= 0; i--) chars += ALPHABET[Number((bits >> BigInt(i * 5)) & 31n)];
  return `WO-${chars.slice(0, 4)}-${chars.slice(4)}`;
}

/** Reads what a person typed: case, spaces, and the look-alikes Crockford allows (O→0, I/L→1). */
export function parseOrderNumber(text: string): string | undefined {
  const compact = text.trim().toUpperCase().replace(/[\s-]/g, '').replace(/^WO/, '').replace(/O/g, '0').replace(/[IL]/g, '1');
  if (compact.length !== 8) return undefined;
  const number = `WO-${compact.slice(0, 4)}-${compact.slice(4)}`;
  return PATTERN.test(number) ? number : undefined;
}
