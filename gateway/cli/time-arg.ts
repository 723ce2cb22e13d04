/**
 * `--since`/`--until` values: a duration back from the gateway's clock ("90m",
 * "1h", "2d"), an ISO date ("2026-11-24T08:00Z"), or epoch milliseconds. Relative
 * times use the gateway's clock, which runs fast under --simulate.
 */
import { CliError } from './cli-io.js';

const UNIT_MS: Readonly<Record<string, number>> = { ms: 1, s: 1_000, m: 60_000, min: 60_000, h: 3_600_000, d: 86_400_000, w: 604_800_000 };

export function parseTimeArg(text: string, now: number, flag: string): number {
  const trimmed = text.trim();
  const rel = /^(\d+(?:\.\d+)?)\s*(ms|s|m|min|h|d|w)$/.exec(trimmed);
  if (rel !== null) return now - Number(rel[1]) * (UNIT_MS[rel[2] ?? 'ms'] ?? 1);
  if (/^\d{10,}$/.test(trimmed)) return Number(trimmed);
  const parsed = Date.parse(trimmed);
  if (Number.isFinite(parsed)) return parsed;
  throw new CliError(`${flag} "${text}" is not a time`, `Use a duration back from now (30m, 12h, 7d), an ISO date (2026-11-24T08:00Z) or epoch milliseconds.`, 64);
}
