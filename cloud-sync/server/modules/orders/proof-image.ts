/**
 * A proof-of-delivery signature image as the supplier sends it: base64 PNG or JPEG
 * of at most 200 KB. The type is decided by the image's own magic bytes, not by
 * what the client declares: a declared type the bytes do not bear out is refused,
 * naming the field. Pure; storing and serving it are not built yet.
 */
import { badField } from '../../errors.js';

export const MAX_PROOF_BYTES = 200 * 1024;

export type ProofContentType = 'image/png' | 'image/jpeg';

const PNG_MAGIC = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);
const JPEG_MAGIC = Buffer.from([0xff, 0xd8, 0xff]);

/** What the bytes are, by their first bytes; undefined for anything else. */
export function sniffImage(bytes: Buffer): ProofContentType | undefined {
  if (bytes.subarray(0, PNG_MAGIC.length).equals(PNG_MAGIC)) return 'image/png';
  if (bytes.subarray(0, JPEG_MAGIC.length).equals(JPEG_MAGIC)) return 'image/jpeg';
  return undefined;
}

/** The decoded image and its type, or a 400 naming `path`.data or `path`.contentType. */
export function checkProofImage(image: { contentType: string; data: string }, path = 'signature'): { contentType: ProofContentType; bytes: Buffer } {
  // Buffer.from(…, 'base64') skips what is not base64; check the alphabet first so garbage is refused, not half-read.
  if (!/^[A-Za-z0-9+/]*={0,2}$/.test(image.data) || image.data.length % 4 !== 0) throw badField(`${path}.data`, 'must be base64');
  if ((image.data.length / 4) * 3 > MAX_PROOF_BYTES + 2) throw badField(`${path}.data`, `must be at most ${MAX_PROOF_BYTES / 1024} KB`);
  const bytes = Buffer.from(image.data, 'base64');
  if (bytes.length === 0 || bytes.length > MAX_PROOF_BYTES) throw badField(`${path}.data`, `must be 1 byte to ${MAX_PROOF_BYTES / 1024} KB`);
  const sniffed = sniffImage(bytes);
  if (sniffed === undefined) throw badField(`${path}.data`, 'must be a PNG or JPEG image (its first bytes say neither)');
  if (sniffed !== image.contentType) throw badField(`${path}.contentType`, `is ${image.contentType}, but the image is ${sniffed}`);
  return { contentType: sniffed, bytes };
}
