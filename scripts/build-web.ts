/** `npm run build` (after tsc): the dashboard bundle into dist/web, which `easygas cloud` serves at /. */
import { resolve } from 'node:path';
import { buildWeb } from './web/bundle.js';

const out = resolve(import.meta.dirname, '..', 'dist', 'web');
const bundle = await buildWeb(out);
const bytes = [...bundle.files.values()].reduce((n, b) => n + b, 0);
console.log(`dashboard: ${bundle.files.size} files, ${(bytes / 1024).toFixed(0)} KiB in ${out}`);
