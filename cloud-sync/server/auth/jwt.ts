/**
 * HS256 JSON Web Tokens with node:crypto (RFC 7519), nothing else: the header must
 * say exactly {"alg":"HS256","typ":"JWT"} (no "none", no algorithm confusion), the
 * signature is compared in constant time, and expiry is judged on an injected clock.
 */
import { createHmac, timingSafeEqual } from 'node:crypto';

export interface AccessClaims {
  /** The user id. */
  readonly sub: string;
  readonly role: string;
  /** The user's token version: bumped by a password change, which voids older tokens. */
  readonly ver: number;
  /** Issued at / expires, in seconds (RFC 7519 NumericDate). */
  readonly iat: number;
  readonly exp: number;
}

export type VerifyOutcome =
  | { readonly ok: true; readonly claims: AccessClaims }
  | { readonly ok: false; readonly reason: 'malformed' | 'algorithm' | 'signature' | 'expired' | 'claims' };

const HEADER = base64url(JSON.stringify({ alg: 'HS256', typ: 'JWT' }));

function base64url(text: string | Buffer): string {
  return Buffer.from(text).toString('base64url');
}

function sign(data: string, secret: string): Buffer {
  return createHmac('sha256', secret).update(data).digest();
}

export function signJwt(claims: AccessClaims, secret: string): string {
  const body = `${HEADER}.${base64url(JSON.stringify(claims))}`;
  return `${body}.${sign(body, secret).toString('base64url')}`;
}

export function verifyJwt(token: string, secret: string, nowMs: number): VerifyOutcome {
  const parts = token.split('.');
  if (parts.length !== 3) return { ok: false, reason: 'malformed' };
  const [header, payload, signature] = parts as [string, string, string];
  const headerJson = decodeJson(header);
  if (headerJson === undefined) return { ok: false, reason: 'malformed' };
  if (headerJson.alg !== 'HS256' || (headerJson.typ !== undefined && headerJson.typ !== 'JWT')) return { ok: false, reason: 'algorithm' };
  const expected = sign(`${header}.${payload}`, secret);
  const given = Buffer.from(signature, 'base64url');
  // Buffer.from(…, 'base64url') skips junk characters, so also insist on the canonical text.
  if (given.length !== expected.length || given.toString('base64url') !== signature || !timingSafeEqual(given, expected)) {
    return { ok: false, reason: 'signature' };
  }
  const claims = decodeJson(payload);
  if (claims === undefined || !isAccessClaims(claims)) return { ok: false, reason: 'claims' };
  if (claims.exp * 1000 <= nowMs) return { ok: false, reason: 'expired' };
  return { ok: true, claims };
}

function decodeJson(part: string): Record<string, unknown> | undefined {
  try {
    const value: unknown = JSON.parse(Buffer.from(part, 'base64url').toString('utf8'));
    return value !== null && typeof value === 'object' && !Array.isArray(value) ? (value as Record<string, unknown>) : undefined;
  } catch {
    return undefined;
  }
}

function isAccessClaims(value: Record<string, unknown>): value is Record<string, unknown> & AccessClaims {
  return (
    typeof value.sub === 'string' &&
    typeof value.role === 'string' &&
    Number.isInteger(value.ver) &&
    Number.isInteger(value.iat) &&
    Number.isInteger(value.exp)
  );
}
