/** `npm run boundaries`: fails when an import crosses a boundary of docs/architecture.md ("Who imports whom"). */
import { resolve } from 'node:path';
import { checkBoundaries } from './boundaries/check.js';

const root = resolve(import.meta.dirname, '..');
const violations = checkBoundaries(root);
for (const v of violations) {
  console.error(`${v.file}: import '${v.specifier}' breaks ${v.rule}: ${v.reason}`);
}
if (violations.length > 0) {
  console.error(`\n${violations.length} import boundary violation(s); see docs/architecture.md, "Who imports whom".`);
  process.exit(1);
}
console.log('import boundaries: ok');
