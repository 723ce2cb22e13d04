/** Proof-of-delivery images: PNG and JPEG told by their magic bytes, the declared type checked against them, 200 KB at most, base64 only. */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { ApiError } from '../../errors.js';
import { MAX_PROOF_BYTES, checkProofImage } from './proof-image.js';

const PNG = Buffer.concat([Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]), Buffer.alloc(64, 1)]);
const JPEG = Buffer.concat([Buffer.from([0xff, 0xd8, 0xff, 0xe0]), Buffer.alloc(64, 2)]);

function refusedField(run: () => unknown): string | undefined {
  try {
    run();
  } catch (error) {
    assert.ok(error instanceof ApiError);
    return error.issues?.[0]?.path;
  }
  return undefined;
}

describe('proof-of-delivery image', () => {
  it('accepts a PNG and a JPEG whose bytes match the declared type', () => {
    assert.equal(checkProofImage({ contentType: 'image/png', data: PNG.toString('base64') }).contentType, 'image/png');
    const jpeg = checkProofImage({ contentType: 'image/jpeg', data: JPEG.toString('base64') });
    assert.deepEqual([jpeg.contentType, jpeg.bytes.equals(JPEG)], ['image/jpeg', true]);
  });

  it('refuses a declared type the bytes do not bear out, and bytes that are no image', () => {
    assert.equal(refusedField(() => checkProofImage({ contentType: 'image/png', data: JPEG.toString('base64') })), 'signature.contentType');
    assert.equal(refusedField(() => checkProofImage({ contentType: 'image/png', data: Buffer.from('<svg onload=alert(1)>').toString('base64') })), 'signature.data');
    assert.equal(refusedField(() => checkProofImage({ contentType: 'image/png', data: 'not base64!' })), 'signature.data');
    assert.equal(refusedField(() => checkProofImage({ contentType: 'image/png', data: '' })), 'signature.data');
  });

  it('refuses more than 200 KB, and takes exactly 200 KB', () => {
    const big = Buffer.concat([PNG, Buffer.alloc(MAX_PROOF_BYTES - PNG.length + 1)]);
    assert.equal(refusedField(() => checkProofImage({ contentType: 'image/png', data: big.toString('base64') })), 'signature.data');
    const exact = big.subarray(0, MAX_PROOF_BYTES);
    assert.equal(checkProofImage({ contentType: 'image/png', data: exact.toString('base64') }).bytes.length, MAX_PROOF_BYTES);
  });
});
