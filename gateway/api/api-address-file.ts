/**
 * `<dataDir>/api.json`: where the running daemon's control API listens, so the
 * CLI finds it from the same --config/--data-dir/EASYGAS_* as the daemon with no
 * extra flags. Written atomically when the API listens, removed on stop; it holds
 * no secret (the password stays in the config).
 */
import { readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

export const API_ADDRESS_FILE = 'api.json';

export interface ApiAddress {
  readonly version: 1;
  /** e.g. http://127.0.0.1:8470 — what a client on this Pi connects to. */
  readonly url: string;
  readonly host: string;
  readonly port: number;
  readonly pid: number;
  readonly startedAt: number;
  /** True when a password is needed (a LAN bind). */
  readonly auth: boolean;
}

export function apiAddressPath(dataDir: string): string {
  return join(dataDir, API_ADDRESS_FILE);
}

export function writeApiAddress(dataDir: string, address: ApiAddress): void {
  const path = apiAddressPath(dataDir);
  const tmp = `${path}.${process.pid}.tmp`;
  writeFileSync(tmp, `${JSON.stringify(address, null, 2)}\n`, { mode: 0o644 });
  renameSync(tmp, path);
}

/** Removes the file only if this process wrote it (a second daemon must not delete the first's). */
export function removeApiAddress(dataDir: string, pid: number = process.pid): void {
  const current = readApiAddress(dataDir);
  if (current !== undefined && current.pid !== pid) return;
  rmSync(apiAddressPath(dataDir), { force: true });
}

/** The address, or undefined when no daemon wrote one (or the file is unreadable). */
export function readApiAddress(dataDir: string): ApiAddress | undefined {
  try {
    const parsed = JSON.parse(readFileSync(apiAddressPath(dataDir), 'utf8')) as Partial<ApiAddress>;
    if (parsed.version !== 1 || typeof parsed.url !== 'string' || typeof parsed.port !== 'number') return undefined;
    return parsed as ApiAddress;
  } catch {
    return undefined;
  }
}
