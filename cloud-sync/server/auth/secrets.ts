/**
 * Random secrets a client holds (refresh tokens, gateway credentials, claim codes)
 * and their stored form. Tokens carry 256 random bits, so an unsalted SHA-256 is a
 * safe stored form (like GitHub's tokens) and can be looked up by index.
 */
import { createHash, randomBytes, randomInt } from 'node:crypto';
import { CLAIM_CODE_ALPHABET, CLAIM_CODE_LENGTH } from '../../protocol/index.js';

export function sha256(text: string): string {
  return createHash('sha256').update(text).digest('base64url');
}

/** "<prefix>_<43 base64url chars>": the prefix tells a leaked secret's kind at a glance. */
export function newToken(prefix: 'rt' | 'egw' | 'ev' | 'pr' | 'etd'): string {
  return `${prefix}_${randomBytes(32).toString('base64url')}`;
}

/** Eight characters of Crockford base32 (40 bits), uniformly random. */
export function newClaimCode(): string {
  let code = '';
  for (let i = 0; i < CLAIM_CODE_LENGTH; i++) code += CLAIM_CODE_ALPHABET[randomInt(CLAIM_CODE_ALPHABET.length)];
  return code;
}
