/** Where `npm run build` put the dashboard: <package root>/dist/web, found from this file in source or in dist. */
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { isWebRoot } from './web-app.js';

export function packageRoot(from: string = import.meta.dirname): string | undefined {
  for (let dir = from; ; dir = dirname(dir)) {
    const manifest = join(dir, 'package.json');
    if (existsSync(manifest) && (JSON.parse(readFileSync(manifest, 'utf8')) as { name?: string }).name === 'easygas') return dir;
    if (dirname(dir) === dir) return undefined;
  }
}

/** The built dashboard, or undefined when it was not built (a gateway-only install). */
export function defaultWebRoot(): string | undefined {
  const root = packageRoot();
  const web = root === undefined ? undefined : join(root, 'dist', 'web');
  return web !== undefined && isWebRoot(web) ? web : undefined;
}
