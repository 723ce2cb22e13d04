/**
 * Where this installation lives and which version it is. Works from the sources
 * (tsx) and from dist/, which sit at different depths, by walking up to our own
 * package.json.
 */
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

export interface PackageInfo {
  readonly root: string;
  readonly version: string;
}

export function packageInfo(from: string = import.meta.url): PackageInfo {
  let dir = dirname(fileURLToPath(from));
  for (;;) {
    const candidate = join(dir, 'package.json');
    if (existsSync(candidate)) {
      const pkg = JSON.parse(readFileSync(candidate, 'utf8')) as { name?: string; version?: string };
      if (pkg.name === 'easygas') return { root: dir, version: pkg.version ?? '0.0.0' };
    }
    const parent = dirname(dir);
    if (parent === dir) throw new Error(`easygas package.json not found above ${fileURLToPath(from)}`);
    dir = parent;
  }
}

/** The documented example config shipped with the package. */
export function exampleConfigPath(info: PackageInfo = packageInfo()): string {
  return join(info.root, 'gateway', 'config', 'gateway.example.yaml');
}
