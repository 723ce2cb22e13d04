/**
 * Signed payment webhooks (issue 19): the provider sends
 * `X-EasyGas-Signature: t=<unix seconds>,v1=<hex HMAC-SHA256 of "<t>.<raw body>">`.
 * The timestamp is inside the signed text, so an old delivery cannot be replayed
 * with a fresh one; one older (or further ahead) than the tolerance is refused. The
 * comparison is constant-time. Pure: the route hands in the raw body and the clock.
 */
import { createHmac, timingSafeEqual } from 'node:crypto';

export const WEBHOOK_TOLERANCE_MS = 5 * 60_000;

export type SignatureCheck = { readonly ok: true; readonly at: number } | { readonly ok: false; readonly reason: 'missing' | 'malformed' | 'expired' | 'mismatch' };

function mac(secret: string, seconds: number, rawBody: string): Buffer {
  return createHmac('sha256', secret).update(`${seconds}.${rawBody}`).digest();
}

/** The header a provider (or a test) sends for this body at `atMs`. */
export function signWebhook(secret: string, rawBody: string, atMs: number): string {
  const seconds = Math.floor(atMs / 1000);
  return `t=${seconds},v1=${mac(secret, seconds, rawBody).toString('hex')}`;
}

export function verifyWebhookSignature(header: string | undefined, rawBody: string, secret: string, nowMs: number, toleranceMs = WEBHOOK_TOLERANCE_MS): SignatureCheck {
  if (header === undefined || header === '') return { ok: false, reason: 'missing' };
  const parts = new Map(header.split(',').map((part) => [part.slice(0, part.indexOf('=')).trim(), part.slice(part.indexOf('=') + 1).trim()] as const));
  const t = parts.get('t') ?? '';
  const v1 = parts.get('v1') ?? '';
  if (!/^\d{1,12}$/.test(t) || !/^[0-9a-f]{64}$/i.test(v1)) return { ok: false, reason: 'malformed' };
  const seconds = Number(t);
  if (Math.abs(nowMs - seconds * 1000) > toleranceMs) return { ok: false, reason: 'expired' };
  // Both sides are 32 bytes here (v1 was checked above), as timingSafeEqual needs.
  if (!timingSafeEqual(mac(secret, seconds, rawBody), Buffer.from(v1, 'hex'))) return { ok: false, reason: 'mismatch' };
  return { ok: true, at: seconds * 1000 };
}
