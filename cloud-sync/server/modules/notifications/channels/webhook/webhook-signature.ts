/**
 * Webhook signatures: HMAC-SHA256 over `timestamp.body` with the webhook's own
 * secret, sent as `X-EasyGas-Timestamp: <unix seconds>` and
 * `X-EasyGas-Signature: v1=<hex>`. The timestamp is inside the signed text, so a
 * captured request replayed later fails the receiver's tolerance check. Several
 * `v1=` values may be sent, comma-separated, while a secret is being rotated.
 *
 * Receivers (Home Assistant automations, a team chat bridge, your own code) can
 * use `verifyWebhookSignature` as it is: it needs only node:crypto.
 */
import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';

export const TIMESTAMP_HEADER = 'X-EasyGas-Timestamp';
export const SIGNATURE_HEADER = 'X-EasyGas-Signature';
export const DELIVERY_HEADER = 'X-EasyGas-Delivery';
export const DEFAULT_TOLERANCE_SECONDS = 300;

/** A new webhook secret to show the user once: 256 random bits. */
export function newWebhookSecret(): string {
  return `whsec_${randomBytes(32).toString('base64url')}`;
}

function hmac(secret: string, timestamp: number, body: string | Buffer): Buffer {
  return createHmac('sha256', secret).update(`${timestamp}.`).update(body).digest();
}

/** The X-EasyGas-Signature value for a body sent at `timestamp` (unix seconds). */
export function signWebhook(secret: string, timestamp: number, body: string | Buffer): string {
  return `v1=${hmac(secret, timestamp, body).toString('hex')}`;
}

export type VerifyFailure = 'missing_timestamp' | 'bad_timestamp' | 'too_old' | 'too_new' | 'missing_signature' | 'bad_signature';

export type VerifyResult = { readonly ok: true; readonly timestamp: number } | { readonly ok: false; readonly reason: VerifyFailure };

export interface VerifyInput {
  /** The secret, or the current and previous one during a rotation. */
  readonly secret: string | readonly string[];
  /** The raw body bytes as received, before any JSON parsing. */
  readonly body: string | Buffer;
  readonly timestamp: string | undefined;
  readonly signature: string | undefined;
  /** The receiver's clock, epoch ms. */
  readonly now: number;
  /** How far the timestamp may be from `now` (default 300 s). */
  readonly toleranceSeconds?: number;
}

export function verifyWebhookSignature(input: VerifyInput): VerifyResult {
  const stamp = input.timestamp?.trim();
  if (stamp === undefined || stamp === '') return { ok: false, reason: 'missing_timestamp' };
  if (!/^\d{1,12}$/.test(stamp)) return { ok: false, reason: 'bad_timestamp' };
  const timestamp = Number(stamp);
  const tolerance = input.toleranceSeconds ?? DEFAULT_TOLERANCE_SECONDS;
  const skew = input.now / 1_000 - timestamp;
  if (skew > tolerance) return { ok: false, reason: 'too_old' };
  if (skew < -tolerance) return { ok: false, reason: 'too_new' };

  const offered = (input.signature ?? '')
    .split(',')
    .map((part) => part.trim())
    .filter((part) => part.startsWith('v1='))
    .map((part) => part.slice(3));
  if (offered.length === 0) return { ok: false, reason: 'missing_signature' };
  const secrets = typeof input.secret === 'string' ? [input.secret] : input.secret;
  for (const secret of secrets) {
    const expected = hmac(secret, timestamp, input.body);
    for (const hex of offered) {
      const given = /^[0-9a-f]{64}$/i.test(hex) ? Buffer.from(hex, 'hex') : undefined;
      if (given !== undefined && timingSafeEqual(given, expected)) return { ok: true, timestamp };
    }
  }
  return { ok: false, reason: 'bad_signature' };
}
