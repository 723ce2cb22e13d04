/** Small conversions between database columns and domain values, shared by both stores. */
import type { NotifyChannel } from '../../protocol/index.js';
import { DEFAULT_PREFERENCES, type NotificationPreferences } from './types.js';

/** JSON column → value; a corrupt cell yields the fallback instead of a 500. */
export function parseJson<T>(text: unknown, fallback: T): T {
  if (typeof text !== 'string') return text === null || text === undefined ? fallback : (text as T);
  try {
    return JSON.parse(text) as T;
  } catch {
    return fallback;
  }
}

export function parsePreferences(value: unknown): NotificationPreferences {
  return { ...DEFAULT_PREFERENCES, ...parseJson<Partial<NotificationPreferences>>(value, {}) };
}

export function parseChannels(value: unknown): NotifyChannel[] {
  const list = parseJson<unknown[]>(value, []);
  return list.filter((c): c is NotifyChannel => c === 'email' || c === 'push');
}

/** SQLite stores booleans as 0/1, PostgreSQL as booleans. */
export function bool(value: unknown): boolean {
  return value === true || value === 1 || value === 1n;
}

export function numOrNull(value: unknown): number | null {
  return value === null || value === undefined ? null : Number(value);
}

export function strOrNull(value: unknown): string | null {
  return typeof value === 'string' ? value : typeof value === 'number' ? String(value) : null;
}
