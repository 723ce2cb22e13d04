#!/usr/bin/env node
// The `easygas` command. Runs the compiled CLI; `npm ci` builds it (the prepare script).
import { existsSync } from 'node:fs';

const entry = new URL('../dist/gateway/cli/main.js', import.meta.url);
if (!existsSync(entry)) {
  process.stderr.write('easygas is not built yet: run `npm run build` (npm ci does it for you).\n');
  process.exit(1);
}
await import(entry.href);
