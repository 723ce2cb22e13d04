/**
 * Random numbers addressed by key instead of drawn in sequence. A world model asks
 * "what is the variation of day 20512?" or "the noise of the reading at ms X?" and
 * gets the same answer however often, in whatever order and at whatever step size
 * it asks: that is what keeps a simulation identical whether it is advanced minute
 * by minute or three days at once.
 */
import { gaussian, seededRandom } from '../random.js';
import type { Random } from '../random.js';

const TWO_POW_32 = 4_294_967_296;

/** One round of MurmurHash3's 32-bit block mixing. */
function mixWord(hash: number, word: number): number {
  let k = Math.imul(word, 0xcc9e2d51);
  k = (k << 15) | (k >>> 17);
  k = Math.imul(k, 0x1b873593);
  let h = hash ^ k;
  h = (h << 13) | (h >>> 19);
  return (Math.imul(h, 5) + 0xe6546b64) | 0;
}

/** MurmurHash3's finaliser: every input bit flips about half the output bits. */
function avalanche(hash: number): number {
  let h = hash;
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  h ^= h >>> 16;
  return h >>> 0;
}

/**
 * A 32-bit hash of a seed and integer keys. Keys may be any safe integer
 * (epoch milliseconds included); fractions are truncated.
 */
export function hashKeys(seed: number, keys: readonly number[]): number {
  let h = seed >>> 0;
  for (const key of keys) {
    const whole = Math.trunc(key);
    h = mixWord(h, whole >>> 0);
    h = mixWord(h, Math.floor(whole / TWO_POW_32) >>> 0);
  }
  return avalanche(mixWord(h, keys.length));
}

/** A fresh seeded sequence for (seed, keys): use it when one key needs several draws. */
export function keyedRandom(seed: number, ...keys: number[]): Random {
  return seededRandom(hashKeys(seed, keys));
}

/** Uniform in [0, 1), fixed for (seed, keys). */
export function keyedUniform(seed: number, ...keys: number[]): number {
  return keyedRandom(seed, ...keys).next();
}

/** Standard normal (mean 0, sd 1), fixed for (seed, keys). */
export function keyedNormal(seed: number, ...keys: number[]): number {
  return gaussian(keyedRandom(seed, ...keys));
}

/** A seed for a sub-model, so one world seed gives independent streams per model. */
export function deriveSeed(seed: number, ...keys: number[]): number {
  return hashKeys(seed, keys);
}
