import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { seededRandom, type Random } from '../sim/random.js';
import {
  ULTRASONIC_MODELS,
  UltrasonicFrameParser,
  encodeFrame,
  frameChecksum,
  type UltrasonicModelSpec,
  type UltrasonicOutcome,
} from './ultrasonic-frame.js';

/** Every frame is 'ok' with its raw distance: lets tests compare distances of any value. */
const RAW: UltrasonicModelSpec = {
  ...ULTRASONIC_MODELS['JSN-SR04T'],
  blindZoneMm: -1,
  maxRangeMm: 0xffff,
  noEchoMm: [],
};

const concat = (...parts: readonly Uint8Array[]): Uint8Array => {
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let at = 0;
  for (const p of parts) {
    out.set(p, at);
    at += p.length;
  }
  return out;
};

function parse(parser: UltrasonicFrameParser, chunks: readonly Uint8Array[]): UltrasonicOutcome[] {
  const out: UltrasonicOutcome[] = [];
  for (const chunk of chunks) out.push(...parser.push(chunk));
  out.push(...parser.flush());
  return out;
}

function rawParse(chunks: readonly Uint8Array[]): { outcomes: UltrasonicOutcome[]; parser: UltrasonicFrameParser } {
  const parser = new UltrasonicFrameParser({ model: RAW, source: 'test' });
  return { outcomes: parse(parser, chunks), parser };
}

/** Distances of ok outcomes, and the codes of the others as strings. */
const summary = (outcomes: readonly UltrasonicOutcome[]): (number | string)[] =>
  outcomes.map((o) => (o.ok ? o.value.distanceMm : o.fault.code));

const distances = (outcomes: readonly UltrasonicOutcome[]): number[] =>
  outcomes.flatMap((o) => (o.ok ? [o.value.distanceMm] : []));

function randomChunks(bytes: Uint8Array, random: Random, maxChunk: number): Uint8Array[] {
  const chunks: Uint8Array[] = [];
  for (let at = 0; at < bytes.length; ) {
    const size = 1 + Math.floor(random.next() * maxChunk);
    chunks.push(bytes.subarray(at, at + size));
    at += size;
  }
  return chunks;
}

/** One bit error in H, L or SUM: the header survives, the sum fails. */
function flipBit(frame: Uint8Array, random: Random): void {
  const index = 1 + Math.floor(random.next() * 3);
  frame[index] = frame[index]! ^ (1 << Math.floor(random.next() * 8));
}

/** True when `wanted` appears in `got` in order, possibly with extra entries between. */
function isSubsequence(wanted: readonly number[], got: readonly number[]): { ok: boolean; missing?: number } {
  let g = 0;
  for (let w = 0; w < wanted.length; w++) {
    while (g < got.length && got[g] !== wanted[w]) g++;
    if (g === got.length) return { ok: false, missing: w };
    g++;
  }
  return { ok: true };
}

const hasFfInData = (mm: number): boolean =>
  encodeFrame(mm)
    .subarray(1)
    .some((b) => b === 0xff);

/** Distances a tank sensor reports whose frames carry 0xFF in L or SUM (511 mm = FF 01 FF FF). */
const FF_IN_DATA = [255, 511, 766, 767, 1023, 1279, 4095, 4336, 5887];
/** Beyond any range, with 0xFF in H as well: the parser must still frame them. */
const FF_IN_HIGH = [0xff00, 0xff01, 0xfffe, 0xffff];

describe('ultrasonic frames: encoding and classification', () => {
  it('encodes the datasheet example FF 07 A1 A7 = 1953 mm and round-trips every distance', () => {
    assert.deepEqual([...encodeFrame(1953)], [0xff, 0x07, 0xa1, 0xa7]);
    assert.equal(frameChecksum(0x07, 0xa1), 0xa7);
    assert.deepEqual([...encodeFrame(511)], [0xff, 0x01, 0xff, 0xff]);
    for (const bad of [-1, 65536, 1.5, Number.NaN]) assert.throws(() => encodeFrame(bad), RangeError);
    const everything = Array.from({ length: 0x10000 }, (_, mm) => encodeFrame(mm));
    const { outcomes, parser } = rawParse([concat(...everything)]);
    assert.deepEqual(distances(outcomes), Array.from({ length: 0x10000 }, (_, mm) => mm));
    assert.equal(parser.discardedBytes, 0);
  });

  it('classifies against each model: blind zone, no echo (0 or the max-range sentinel), out of range', () => {
    const classify = (model: 'A02YYUW' | 'JSN-SR04T', mm: number): number | string =>
      summary(parse(new UltrasonicFrameParser({ model, source: '/dev/ttyX' }), [encodeFrame(mm)]))[0]!;
    assert.deepEqual(
      [0, 1, 30, 31, 1953, 4499, 4500, 4501, 6000].map((mm) => classify('A02YYUW', mm)),
      ['no_echo', 'blind_zone', 'blind_zone', 31, 1953, 4499, 'no_echo', 'out_of_range', 'out_of_range'],
    );
    assert.deepEqual(
      [0, 31, 200, 201, 4501, 5999, 6000, 6001].map((mm) => classify('JSN-SR04T', mm)),
      ['no_echo', 'blind_zone', 'blind_zone', 201, 4501, 5999, 'no_echo', 'out_of_range'],
    );
    const [blind] = parse(new UltrasonicFrameParser({ model: 'A02YYUW', source: '/dev/ttyX' }), [encodeFrame(12)]);
    assert.ok(blind !== undefined && !blind.ok);
    assert.match(blind.fault.message, /A02YYUW on \/dev\/ttyX reads 12 mm, inside its 30 mm blind zone/);
    assert.match(blind.fault.hint ?? '', /mount the sensor higher/);
  });
});

describe('ultrasonic frames: resynchronisation', () => {
  it('finds every frame with 0xFF in H, L or SUM, from any starting byte and any chunking', () => {
    assert.ok([...FF_IN_DATA, ...FF_IN_HIGH].every(hasFfInData));
    const all = [...FF_IN_DATA, ...FF_IN_HIGH];
    const frames = [1953, ...all, 1953, ...all.toReversed(), 1953];
    const stream = concat(...frames.map(encodeFrame));
    // Joining mid-stream: every starting byte of the first frame.
    for (let start = 0; start < 4; start++) {
      const { outcomes } = rawParse([stream.subarray(start)]);
      assert.deepEqual(distances(outcomes), frames.slice(start === 0 ? 0 : 1), `start ${start}`);
      assert.equal(outcomes.filter((o) => !o.ok).length, 0, `no faults when joining at byte ${start}`);
    }
    // Split in two at every offset, and byte by byte.
    for (let cut = 0; cut <= stream.length; cut++) {
      const { outcomes } = rawParse([stream.subarray(0, cut), stream.subarray(cut)]);
      assert.deepEqual(summary(outcomes), frames, `cut at ${cut}`);
    }
    const bytes = Array.from(stream, (b) => Uint8Array.of(b));
    assert.deepEqual(summary(rawParse(bytes).outcomes), frames);
  });

  it('answers a frame when its last byte arrives; with 0xFF inside, once the next frame or a flush decides', () => {
    const parser = new UltrasonicFrameParser({ model: RAW });
    assert.deepEqual(summary(parser.push(encodeFrame(1953))), [1953]);
    assert.equal(parser.bufferedBytes, 0);
    for (const mm of [0, ...FF_IN_DATA]) {
      // An overlapping window starting on one of its 0xFF bytes may be valid too: what follows decides.
      assert.deepEqual(summary(parser.push(encodeFrame(mm))), [], `${mm} mm waits`);
      assert.deepEqual(summary(parser.push(encodeFrame(1953))), [mm, 1953], `${mm} mm, then 1953`);
    }
    assert.deepEqual(summary(parser.push(encodeFrame(511))), []);
    assert.deepEqual(summary(parser.flush()), [511]);
    assert.equal(parser.bufferedBytes, 0);
  });

  it('costs one checksum count per corrupt frame, whichever byte and bit broke, and finds the next frame', () => {
    // Not FF_IN_HIGH: a corrupt FF FF 02 FE holds FF 02 FE | FF, a valid frame, which no parser can tell apart.
    for (const mm of [1953, ...FF_IN_DATA]) {
      for (let index = 1; index < 4; index++) {
        for (let bit = 0; bit < 8; bit++) {
          const bad = encodeFrame(mm);
          bad[index] = bad[index]! ^ (1 << bit);
          for (const next of [1953, 511, 767]) {
            const stream = concat(encodeFrame(300), bad, encodeFrame(next), encodeFrame(2000));
            const { outcomes, parser } = rawParse([stream]);
            const label = `${mm} mm, byte ${index} bit ${bit}, then ${next}`;
            assert.deepEqual(summary(outcomes), [300, 'checksum', next, 2000], label);
            assert.equal(parser.counts().checksum, 1, label);
            assert.equal(parser.discardedBytes, 4, label);
          }
        }
      }
    }
  });

  it('reports the bytes of a corrupt frame and the sum it expected', () => {
    const { outcomes } = rawParse([Uint8Array.of(0xff, 0x07, 0xa1, 0xa6), encodeFrame(1953)]);
    const fault = outcomes[0];
    assert.ok(fault !== undefined && !fault.ok);
    assert.match(fault.fault.message, /checksum mismatch \(frame FF 07 A1 A6, expected sum A7\)/);
    assert.match(fault.fault.hint ?? '', /9600 baud/);
  });

  it('recovers after a lost byte without counting the misaligned windows as corrupt frames', () => {
    for (const mm of [1953, ...FF_IN_DATA]) {
      for (let lost = 0; lost < 4; lost++) {
        const broken = encodeFrame(mm).filter((_, i) => i !== lost);
        const stream = concat(encodeFrame(1000), broken, encodeFrame(1001), encodeFrame(767), encodeFrame(1002));
        const { outcomes, parser } = rawParse([stream]);
        const label = `${mm} mm without byte ${lost}`;
        const found = isSubsequence([1000, 1001, 767, 1002], distances(outcomes));
        assert.ok(found.ok, `${label}: lost ${summary(outcomes).join(', ')}`);
        // The next frame starts inside the window that failed: a misalignment, not a corrupt frame.
        assert.equal(parser.counts().checksum, undefined, `${label}: ${summary(outcomes).join(', ')}`);
      }
    }
  });

  it('counts garbage without 0xFF as discarded bytes only, and never loses the frame after it', () => {
    const random = seededRandom(7);
    for (let round = 0; round < 500; round++) {
      const garbage = Uint8Array.from({ length: 1 + Math.floor(random.next() * 9) }, () =>
        Math.floor(random.next() * 0xff),
      );
      const mm = [...FF_IN_DATA, ...FF_IN_HIGH][round % (FF_IN_DATA.length + FF_IN_HIGH.length)]!;
      const { outcomes, parser } = rawParse([concat(encodeFrame(1953), garbage, encodeFrame(mm), encodeFrame(42))]);
      assert.deepEqual(summary(outcomes), [1953, mm, 42], `garbage ${[...garbage].join(',')}`);
      assert.equal(parser.discardedBytes, garbage.length);
    }
  });

  it('does not let garbage that passes the sum by chance swallow the next frame\'s header', () => {
    for (const next of [1953, 4000, 300, 511, 767]) {
      const high = next >> 8;
      const traps = [
        // FF a | FF H …: the window FF a FF H passes when a = H + 2 (mod 256).
        Uint8Array.of(0xff, (high + 2) & 0xff),
        // FF 01 FF | FF …: with the next header it reads as a valid 511 mm frame.
        Uint8Array.of(0xff, 0x01, 0xff),
        Uint8Array.of(0xff, 0x80, 0x80),
      ];
      for (const trap of traps) {
        const stream = concat(encodeFrame(1000), trap, encodeFrame(next), encodeFrame(1002));
        const got = summary(rawParse([stream]).outcomes);
        // FF 01 FF + FF is a valid 511 mm frame: it comes out too, but never instead of the real one.
        const formsFrame = trap.length === 3 && frameChecksum(trap[1]!, trap[2]!) === 0xff;
        const expected = formsFrame ? [1000, trap[1]! * 256 + trap[2]!, next, 1002] : [1000, next, 1002];
        assert.deepEqual(got, expected, `${[...trap].join(',')} before ${next}`);
      }
    }
  });

  it('property: every intact frame survives corruption, lost bytes and 0xFF-rich noise, in random chunks', () => {
    for (const seed of [1, 2, 3, 4, 5]) {
      const random = seededRandom(seed);
      const parts: Uint8Array[] = [];
      const intact: number[] = [];
      let corrupted = 0;
      let damaged = 0;
      for (let n = 0; n < 4000; n++) {
        const frame = encodeFrame(Math.floor(random.next() * 8000));
        const roll = random.next();
        if (roll < 0.05) {
          flipBit(frame, random);
          corrupted++;
          parts.push(frame);
        } else if (roll < 0.08) {
          const lost = Math.floor(random.next() * 4);
          parts.push(frame.filter((_, i) => i !== lost));
          damaged++;
        } else {
          intact.push(frame[1]! * 256 + frame[2]!);
          parts.push(frame);
        }
        if (random.next() < 0.1) {
          const noise = Array.from({ length: 1 + Math.floor(random.next() * 6) }, () =>
            random.next() < 0.3 ? 0xff : Math.floor(random.next() * 256),
          );
          parts.push(Uint8Array.from(noise));
          damaged++;
        }
      }
      const stream = concat(...parts);
      const { outcomes, parser } = rawParse(randomChunks(stream, random, 7));
      const found = isSubsequence(intact, distances(outcomes));
      assert.ok(found.ok, `seed ${seed}: intact frame #${found.missing} (${intact[found.missing ?? 0]} mm) was lost`);
      const checksums = parser.counts().checksum ?? 0;
      // Noise with 0xFF can look like a corrupt frame (at most a couple per burst); a corrupt frame
      // right after a lost byte can pass for the lost byte's leftovers.
      assert.ok(checksums >= corrupted * 0.9, `seed ${seed}: ${checksums} checksum faults for ${corrupted} corrupt frames`);
      assert.ok(checksums <= corrupted + 2 * damaged, `seed ${seed}: ${checksums} checksum faults`);
    }
  });

  it('reconciles exactly when the noise has no 0xFF: one count per corrupt frame, every byte accounted for', () => {
    for (const seed of [11, 12, 13]) {
      const random = seededRandom(seed);
      const parts: Uint8Array[] = [];
      let good = 0;
      let corrupted = 0;
      let noiseBytes = 0;
      for (let n = 0; n < 5000; n++) {
        // Uniform distances (1 frame in ~128 carries 0xFF): noise can complete a frame whose
        // SUM is 0xFF by chance (FF H L here + noise), which the FF-heavy tests above would hit.
        const frame = encodeFrame(Math.floor(random.next() * 8000));
        if (random.next() < 0.05) {
          flipBit(frame, random);
          corrupted++;
        } else good++;
        parts.push(frame);
        if (random.next() < 0.05) {
          const noise = Uint8Array.from({ length: 1 + Math.floor(random.next() * 6) }, () => Math.floor(random.next() * 0xff));
          noiseBytes += noise.length;
          parts.push(noise);
        }
      }
      const { parser } = rawParse(randomChunks(concat(...parts), random, 5));
      assert.deepEqual(parser.counts(), { ok: good, checksum: corrupted }, `seed ${seed}`);
      assert.equal(parser.discardedBytes, noiseBytes + 4 * corrupted, `seed ${seed}`);
    }
  });

  it('flush() decides a frame held back for look-ahead, and counts a cut-short corrupt frame', () => {
    const parser = new UltrasonicFrameParser({ model: RAW });
    // Hunting after garbage, 511 mm (FF 01 FF FF) overlaps a window that needs more bytes.
    assert.deepEqual(summary(parser.push(concat(Uint8Array.of(0x12), encodeFrame(511)))), []);
    assert.deepEqual(summary(parser.flush()), [511]);
    // A corrupt answer with 0xFF inside waits for bytes that never come: flush counts it.
    assert.deepEqual(summary(parser.push(Uint8Array.of(0xff, 0x01, 0xff, 0x00))), []);
    assert.deepEqual(summary(parser.flush()), ['checksum']);
    assert.equal(parser.bufferedBytes, 0);
    assert.deepEqual(summary(parser.push(encodeFrame(1953))), [1953]);
  });
});
