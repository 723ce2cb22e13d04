import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { deriveSeed, hashKeys, keyedNormal, keyedUniform } from './keyed-random.js';

describe('keyed random numbers', () => {
  it('gives the same value for the same seed and keys, whatever was asked before', () => {
    const first = keyedUniform(7, 20512, 3);
    for (let i = 0; i < 100; i++) keyedUniform(7, i);
    assert.equal(keyedUniform(7, 20512, 3), first);
    assert.equal(keyedNormal(7, 1_767_225_600_123), keyedNormal(7, 1_767_225_600_123));
  });

  it('differs between seeds, keys, key order and the high half of large keys', () => {
    const base = keyedUniform(7, 1, 2);
    assert.notEqual(keyedUniform(8, 1, 2), base);
    assert.notEqual(keyedUniform(7, 2, 1), base);
    assert.notEqual(keyedUniform(7, 1, 2, 0), base);
    // Same low 32 bits, different high bits (epoch ms differ by 2^32 ms ≈ 50 days).
    assert.notEqual(hashKeys(7, [1_767_225_600_000]), hashKeys(7, [1_767_225_600_000 + 2 ** 32]));
    assert.notEqual(hashKeys(7, [-1]), hashKeys(7, [1]));
    assert.notEqual(deriveSeed(7, 1), deriveSeed(7, 2));
  });

  it('is uniform and normal in distribution over consecutive keys', () => {
    const n = 20_000;
    let sumU = 0;
    let sumN = 0;
    let sumN2 = 0;
    const deciles = new Array<number>(10).fill(0);
    for (let k = 0; k < n; k++) {
      const u = keyedUniform(3, k);
      assert.ok(u >= 0 && u < 1);
      sumU += u;
      deciles[Math.floor(u * 10)]! += 1;
      const z = keyedNormal(3, 1_000_000 + k);
      sumN += z;
      sumN2 += z * z;
    }
    assert.ok(Math.abs(sumU / n - 0.5) < 0.01, `mean ${sumU / n}`);
    for (const count of deciles) assert.ok(Math.abs(count - n / 10) < n / 50, `decile ${count}`);
    const mean = sumN / n;
    assert.ok(Math.abs(mean) < 0.03, `normal mean ${mean}`);
    assert.ok(Math.abs(Math.sqrt(sumN2 / n - mean * mean) - 1) < 0.03);
  });
});
