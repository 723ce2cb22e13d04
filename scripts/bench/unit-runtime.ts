/**
 * How the installed gateway runs, read from systemd/easygas-gateway.service, so a
 * benchmark that measures "the daemon as on a Pi" uses exactly the unit's node flags
 * (ExecStart) and runtime environment (MALLOC_ARENA_MAX…) and cannot drift from it.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';

const UNIT = join(import.meta.dirname, '..', '..', 'systemd', 'easygas-gateway.service');

function unitText(): string {
  return readFileSync(UNIT, 'utf8');
}

/** The node flags of the unit's ExecStart (the words between the node binary and the script). */
export function unitNodeFlags(): string[] {
  const execStart = /^ExecStart=(.*)$/m.exec(unitText())?.[1];
  if (execStart === undefined) throw new Error(`${UNIT}: no ExecStart line`);
  const words = execStart.trim().split(/\s+/);
  const flags: string[] = [];
  for (const word of words.slice(1)) {
    if (!word.startsWith('--')) break;
    flags.push(word);
  }
  return flags;
}

/** The unit's Environment= settings other than EASYGAS_* (those are the product's config, not the runtime's). */
export function unitEnvironment(): Record<string, string> {
  const env: Record<string, string> = {};
  for (const m of unitText().matchAll(/^Environment=([A-Z_][A-Z0-9_]*)=(.*)$/gm)) {
    const [, key, value] = m;
    if (key !== undefined && value !== undefined && !key.startsWith('EASYGAS_')) env[key] = value.replace(/^"|"$/g, '');
  }
  return env;
}
