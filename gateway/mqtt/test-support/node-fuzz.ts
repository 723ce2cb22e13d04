/**
 * Malformed Wi-Fi node payloads for fuzz tests: each is wrong by construction (no
 * oracle needed) and fits on one line, so `mosquitto_pub -l` sends exactly one
 * message per payload. Seeded: a failing run replays.
 */
import { seededRandom } from '../../../hardware/sim/random.js';

const FIXED: readonly string[] = [
  '{"value":"12"}', '{"value":null}', '{"value":[1]}', '{"value":{}}', '{"value":true}', '{"reading":12}',
  '{"ts":"yesterday","value":1}', '{"value":1,"warmingUp":"yes"}', '{"value":1,"unit":"Freezer!"}', '{"value":1,"unit":"nope"}',
  'NaN', '-Infinity', 'inf', '1e999', '{"value":1e999}', '{"value":1,"ts":-5}',
  '{"value":1', '{value:1}', '[1,2]', '"12"', 'null', '0x1f', '12abc', '1,5', '12 12', '--3', '.', '+', 'e5', '１２',
];

function randomBytes(next: () => number, length: number): Buffer {
  const bytes = Buffer.alloc(length);
  for (let i = 0; i < length; i++) {
    let b = 0;
    while (b === 0 || b === 0x0a || b === 0x0d) b = Math.floor(next() * 256);
    bytes[i] = b;
  }
  return bytes;
}

/** `count` malformed payloads: the fixed catalogue, then random text and invalid UTF-8. */
export function malformedPayloads(count: number, seed = 0x4e0de): Buffer[] {
  const random = seededRandom(seed);
  const next = (): number => random.next();
  const out: Buffer[] = [];
  for (let i = 0; out.length < count; i++) {
    const fixed = FIXED[i];
    if (fixed !== undefined) {
      out.push(Buffer.from(fixed));
      continue;
    }
    const body = randomBytes(next, 1 + Math.floor(next() * 60));
    // "~" starts neither a number nor JSON; 0xff never starts valid UTF-8.
    out.push(Buffer.concat([Buffer.from(next() < 0.5 ? '~' : '\xff', 'latin1'), body]));
  }
  return out;
}
