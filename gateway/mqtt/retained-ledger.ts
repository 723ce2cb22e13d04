/**
 * Which retained topics this gateway published last time (<dataDir>/mqtt-topics.json),
 * so that entities and states that left the config can be removed from Home
 * Assistant and the broker with an empty retained payload. Reads never throw: a
 * missing or damaged file means "nothing known", which at worst leaves an old entity.
 */
import { readFileSync, renameSync, writeFileSync } from 'node:fs';

export const LEDGER_FILE = 'mqtt-topics.json';

export function readLedger(path: string): string[] {
  try {
    const parsed: unknown = JSON.parse(readFileSync(path, 'utf8'));
    const topics = (parsed as { topics?: unknown } | null)?.topics;
    return Array.isArray(topics) ? topics.filter((t): t is string => typeof t === 'string' && t !== '') : [];
  } catch {
    return [];
  }
}

/** Atomic: a crash leaves the old file or the new one, never half of one. */
export function writeLedger(path: string, topics: readonly string[]): void {
  const tmp = `${path}.tmp`;
  writeFileSync(tmp, `${JSON.stringify({ version: 1, topics: [...topics].sort() }, null, 1)}\n`);
  renameSync(tmp, path);
}

/** Topics published before and not owned any more. */
export function staleTopics(previous: readonly string[], current: readonly string[]): string[] {
  const keep = new Set(current);
  return previous.filter((t) => !keep.has(t));
}
