import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { formatClaimCode, normalizeClaimCode } from './provisioning.js';
import { describeIssues, formatPath, pointerSegments } from './issues.js';

describe('claim codes', () => {
  it('reads a code however a person types it', () => {
    assert.equal(normalizeClaimCode('7KQ4-M2XD'), '7KQ4M2XD');
    assert.equal(normalizeClaimCode(' 7kq4 m2xd '), '7KQ4M2XD');
    assert.equal(normalizeClaimCode('oil1-0000'), '0111' + '0000', 'O reads as 0, I and L as 1');
    assert.equal(formatClaimCode('7KQ4M2XD'), '7KQ4-M2XD');
  });

  it('refuses what cannot be a code', () => {
    assert.equal(normalizeClaimCode('7KQ4-M2X'), undefined);
    assert.equal(normalizeClaimCode('7KQ4-M2XU'), undefined, 'U is not in the alphabet');
    assert.equal(normalizeClaimCode('7KQ4-M2X!'), undefined);
  });
});

describe('issue paths', () => {
  it('turns pointers into readable paths and back', () => {
    assert.deepEqual(pointerSegments('/records/3/value'), ['records', 3, 'value']);
    assert.equal(formatPath(['records', 3, 'downsampled', 'seqEnd']), 'records[3].downsampled.seqEnd');
    assert.equal(formatPath(['calibrations', 'roof-tank']), 'calibrations["roof-tank"]');
    assert.equal(describeIssues([{ path: 'a', message: 'x' }, { path: '', message: 'y' }], 1), 'a: x (and 1 more)');
  });
});
