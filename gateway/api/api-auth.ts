/**
 * The control API's password check: `Authorization: Bearer <password>` (scripts,
 * the CLI) or Basic with any user name (a browser on the home network asks for it).
 * Compared as SHA-256 digests in constant time, so the length leaks nothing either.
 */
import { createHash, timingSafeEqual } from 'node:crypto';

function digest(text: string): Buffer {
  return createHash('sha256').update(text, 'utf8').digest();
}

/** The password a request carries, from a Bearer or Basic header. */
export function presentedPassword(header: string | undefined): string | undefined {
  if (header === undefined) return undefined;
  const match = /^(\S+)\s+(.+)$/.exec(header.trim());
  const scheme = match?.[1];
  const value = match?.[2];
  if (value === undefined || scheme === undefined) return undefined;
  if (scheme.toLowerCase() === 'bearer') return value;
  if (scheme.toLowerCase() !== 'basic') return undefined;
  const decoded = Buffer.from(value, 'base64').toString('utf8');
  const colon = decoded.indexOf(':');
  return colon < 0 ? undefined : decoded.slice(colon + 1);
}

export function passwordMatches(header: string | undefined, password: string): boolean {
  const presented = presentedPassword(header);
  return presented !== undefined && timingSafeEqual(digest(presented), digest(password));
}
