/**
 * The cloud API's OpenAPI document, as GET /docs/openapi.json serves it: built by
 * assembling the app (in-memory SQLite, never listening) and asking @fastify/swagger.
 *
 *   npm run openapi                      writes dist/openapi.json
 *   npm run openapi -- --out FILE        writes FILE ("-": standard output)
 *   npm run lint:openapi                 writes dist/openapi.json and lints it with Redocly
 *                                        (redocly.yaml: recommended-strict, so a warning fails too)
 */
import { spawnSync } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join, relative, resolve } from 'node:path';
import { build } from '../cloud-sync/server/app.js';

const root = resolve(import.meta.dirname, '..');
const DEFAULT_OUT = join(root, 'dist', 'openapi.json');

export async function openApiDocument(): Promise<unknown> {
  const app = await build({ db: ':memory:', sweeper: false });
  try {
    await app.ready();
    return app.swagger();
  } finally {
    await app.close();
  }
}

function redoclyBin(): string {
  const pkg = createRequire(import.meta.url).resolve('@redocly/cli/package.json');
  return join(dirname(pkg), 'bin', 'cli.js');
}

async function main(argv: readonly string[]): Promise<number> {
  const lint = argv.includes('--lint');
  const outIndex = argv.indexOf('--out');
  const out = outIndex >= 0 ? argv[outIndex + 1] : DEFAULT_OUT;
  if (out === undefined) {
    process.stderr.write('--out needs a file name (or - for standard output)\n');
    return 2;
  }
  const text = `${JSON.stringify(await openApiDocument(), null, 2)}\n`;
  if (out === '-') {
    process.stdout.write(text);
    return 0;
  }
  mkdirSync(dirname(resolve(out)), { recursive: true });
  writeFileSync(out, text);
  if (!lint) {
    process.stderr.write(`wrote ${relative(process.cwd(), out)}\n`);
    return 0;
  }
  // No telemetry and no update check: CI has no internet but the npm registry.
  const result = spawnSync(process.execPath, [redoclyBin(), 'lint', '--config', join(root, 'redocly.yaml'), relative(root, out)], {
    cwd: root,
    stdio: 'inherit',
    env: { ...process.env, REDOCLY_TELEMETRY: 'off', REDOCLY_SUPPRESS_UPDATE_NOTICE: 'true' },
  });
  return result.status ?? 1;
}

process.exitCode = await main(process.argv.slice(2));
