/**
 * The receiving side of web push, with node:crypto only, written from the RFCs
 * (not from the `web-push` package it checks): a browser's subscription keys,
 * aes128gcm decryption (RFC 8188 records, RFC 8291 key derivation), and the VAPID
 * Authorization header check (RFC 8292: an ES256 JWT plus the sender's key).
 */
import { createECDH, createDecipheriv, createPublicKey, hkdfSync, randomBytes, verify, type ECDH } from 'node:crypto';

export interface UserAgentKeys {
  readonly ecdh: ECDH;
  /** 65-byte uncompressed P-256 point: the subscription's p256dh. */
  readonly publicKey: Buffer;
  /** 16 random bytes: the subscription's auth. */
  readonly authSecret: Buffer;
}

export function newUserAgentKeys(): UserAgentKeys {
  const ecdh = createECDH('prime256v1');
  const publicKey = ecdh.generateKeys();
  return { ecdh, publicKey, authSecret: randomBytes(16) };
}

function hkdf(ikm: Buffer, salt: Buffer, info: Buffer, length: number): Buffer {
  return Buffer.from(hkdfSync('sha256', ikm, salt, info, length));
}

/** Decrypts an aes128gcm push message body; throws on any malformed part. */
export function decryptAes128gcm(body: Buffer, ua: UserAgentKeys): Buffer {
  if (body.length < 21) throw new Error('body shorter than the aes128gcm header');
  const salt = body.subarray(0, 16);
  const recordSize = body.readUInt32BE(16);
  const idLength = body.readUInt8(20);
  const senderKey = body.subarray(21, 21 + idLength);
  if (recordSize < 18) throw new Error(`record size ${recordSize} is below the minimum of 18`);
  if (senderKey.length !== 65 || senderKey[0] !== 0x04) throw new Error('keyid is not the sender\'s uncompressed P-256 public key (RFC 8291 §4)');

  // RFC 8291 §3.3-3.4: the input keying material from ECDH and the auth secret.
  const ecdhSecret = ua.ecdh.computeSecret(senderKey);
  const keyInfo = Buffer.concat([Buffer.from('WebPush: info\0'), ua.publicKey, senderKey]);
  const ikm = hkdf(ecdhSecret, ua.authSecret, keyInfo, 32);
  // RFC 8188 §2.2-2.3: content-encryption key and nonce.
  const cek = hkdf(ikm, salt, Buffer.from('Content-Encoding: aes128gcm\0'), 16);
  const baseNonce = hkdf(ikm, salt, Buffer.from('Content-Encoding: nonce\0'), 12);

  const records: Buffer[] = [];
  const ciphertext = body.subarray(21 + idLength);
  if (ciphertext.length === 0) throw new Error('no records');
  for (let offset = 0, seq = 0; offset < ciphertext.length; offset += recordSize, seq++) {
    const record = ciphertext.subarray(offset, offset + recordSize);
    const last = offset + recordSize >= ciphertext.length;
    const nonce = Buffer.from(baseNonce);
    // The record's sequence number is XORed into the nonce's low bytes (RFC 8188 §2.3).
    nonce.writeUInt32BE((nonce.readUInt32BE(8) ^ seq) >>> 0, 8);
    const decipher = createDecipheriv('aes-128-gcm', cek, nonce);
    decipher.setAuthTag(record.subarray(record.length - 16));
    const plain = Buffer.concat([decipher.update(record.subarray(0, record.length - 16)), decipher.final()]);
    records.push(unpad(plain, last));
  }
  return Buffer.concat(records);
}

/** Strips RFC 8188 padding: the data, a delimiter (2 in the last record, 1 before), then zeros. */
function unpad(plain: Buffer, last: boolean): Buffer {
  let end = plain.length - 1;
  while (end >= 0 && plain[end] === 0) end--;
  if (end < 0) throw new Error('record has no padding delimiter');
  const delimiter = plain[end];
  if (delimiter !== (last ? 2 : 1)) throw new Error(`wrong padding delimiter ${delimiter} in ${last ? 'the last' : 'a'} record`);
  return plain.subarray(0, end);
}

export interface VapidClaims {
  readonly aud: string;
  readonly exp: number;
  readonly sub: string;
}

export type VapidCheck = { readonly ok: true; readonly claims: VapidClaims } | { readonly ok: false; readonly reason: string };

/** Checks `Authorization: vapid t=<jwt>, k=<key>` for a push service at `audience`. */
export function checkVapidAuthorization(header: string | undefined, expected: { publicKey: string; audience: string; now: number }): VapidCheck {
  const match = /^vapid\s+(.+)$/i.exec(header ?? '');
  if (match?.[1] === undefined) return { ok: false, reason: 'no "vapid" Authorization header' };
  const params = new Map(match[1].split(',').map((p) => p.trim().split('=', 2) as [string, string]));
  const token = params.get('t');
  const key = params.get('k');
  if (token === undefined || key === undefined) return { ok: false, reason: 'the header lacks t= or k=' };
  if (key !== expected.publicKey) return { ok: false, reason: 'k= is not the application server key of the subscription' };

  const parts = token.split('.');
  if (parts.length !== 3) return { ok: false, reason: 'the JWT does not have three parts' };
  const [head, body, signature] = parts as [string, string, string];
  let header_: { alg?: unknown; typ?: unknown };
  let claims: Partial<Record<keyof VapidClaims, unknown>>;
  try {
    header_ = JSON.parse(Buffer.from(head, 'base64url').toString('utf8')) as typeof header_;
    claims = JSON.parse(Buffer.from(body, 'base64url').toString('utf8')) as typeof claims;
  } catch {
    return { ok: false, reason: 'the JWT is not JSON' };
  }
  if (header_.alg !== 'ES256') return { ok: false, reason: `the JWT alg is ${String(header_.alg)}, not ES256` };

  const raw = Buffer.from(key, 'base64url');
  const publicKey = createPublicKey({
    key: { kty: 'EC', crv: 'P-256', x: raw.subarray(1, 33).toString('base64url'), y: raw.subarray(33, 65).toString('base64url') },
    format: 'jwk',
  });
  const signed = verify('sha256', Buffer.from(`${head}.${body}`), { key: publicKey, dsaEncoding: 'ieee-p1363' }, Buffer.from(signature, 'base64url'));
  if (!signed) return { ok: false, reason: 'the JWT signature does not verify with k=' };

  const nowS = expected.now / 1_000;
  if (claims.aud !== expected.audience) return { ok: false, reason: `aud is ${String(claims.aud)}, not ${expected.audience}` };
  if (typeof claims.exp !== 'number' || claims.exp <= nowS) return { ok: false, reason: 'exp is missing or past' };
  if (claims.exp > nowS + 24 * 3_600) return { ok: false, reason: 'exp is more than 24 hours ahead (RFC 8292 §2)' };
  if (typeof claims.sub !== 'string' || !/^(mailto:|https:)/.test(claims.sub)) return { ok: false, reason: 'sub is not a mailto: or https: contact' };
  return { ok: true, claims: { aud: claims.aud, exp: claims.exp, sub: claims.sub } };
}
