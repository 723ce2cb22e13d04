/**
 * Builds the dashboard (cloud-sync/web) into `outDir`: esbuild bundles the Preact app
 * into content-hashed ES modules and one CSS file under assets/ (split, so the home page
 * never loads the chart library), then index.html is written naming them. Nothing is
 * fetched at run time from anywhere else: the cloud serves this folder as it is.
 * The push service worker is built apart to /sw.js: a worker's URL must stay the same
 * across releases (and its scope is the folder it is served from).
 */
import { createHash } from 'node:crypto';
import { mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { brotliCompressSync, constants, gzipSync } from 'node:zlib';
import { join, relative, resolve } from 'node:path';
import * as esbuild from 'esbuild';

export const WEB_SOURCE = resolve(import.meta.dirname, '..', '..', 'cloud-sync', 'web');

export interface WebBundle {
  readonly outDir: string;
  /** URL paths, e.g. /assets/app-3F2B8C1E.js. */
  readonly entryScript: string;
  readonly entryStyle: string;
  readonly favicon: string;
  /** The push service worker, always /sw.js. */
  readonly serviceWorker: string;
  /** Every file written, relative to outDir, with its size in bytes. */
  readonly files: ReadonlyMap<string, number>;
}

const hash8 = (bytes: Buffer | string): string => createHash('sha256').update(bytes).digest('hex').slice(0, 8).toUpperCase();

export async function buildWeb(outDir: string, options: { readonly minify?: boolean } = {}): Promise<WebBundle> {
  rmSync(outDir, { recursive: true, force: true });
  const assets = join(outDir, 'assets');
  mkdirSync(assets, { recursive: true });
  const result = await esbuild.build({
    entryPoints: { app: join(WEB_SOURCE, 'src', 'main.tsx') },
    outdir: assets,
    bundle: true,
    splitting: true,
    format: 'esm',
    // What the browsers of the last few years run natively (no polyfills shipped).
    target: ['es2022', 'chrome110', 'firefox115', 'safari16'],
    minify: options.minify ?? true,
    entryNames: '[name]-[hash]',
    chunkNames: 'chunk-[hash]',
    assetNames: '[name]-[hash]',
    jsx: 'automatic',
    jsxImportSource: 'preact',
    tsconfig: join(WEB_SOURCE, 'tsconfig.json'),
    legalComments: 'eof',
    metafile: true,
    logLevel: 'silent',
  });
  const outputs = Object.entries(result.metafile.outputs);
  const entry = outputs.find(([, o]) => o.entryPoint !== undefined && o.entryPoint.endsWith('main.tsx'));
  if (entry === undefined || entry[1].cssBundle === undefined) throw new Error('esbuild produced no entry script with its CSS');
  const url = (file: string) => `/${relative(outDir, resolve(file)).split('\\').join('/')}`;

  const worker = await esbuild.build({
    entryPoints: [join(WEB_SOURCE, 'src', 'service-worker', 'sw.ts')],
    outfile: join(outDir, 'sw.js'),
    bundle: true,
    format: 'iife',
    target: ['es2022', 'chrome110', 'firefox115', 'safari16'],
    minify: options.minify ?? true,
    tsconfig: join(WEB_SOURCE, 'tsconfig.json'),
    legalComments: 'eof',
    metafile: true,
    logLevel: 'silent',
  });

  const faviconSource = readFileSync(join(WEB_SOURCE, 'favicon.svg'));
  const favicon = `/assets/favicon-${hash8(faviconSource)}.svg`;
  writeFileSync(join(outDir, favicon), faviconSource);

  // The entry's static imports (the shared chunk) start loading with the entry, not after it.
  const preloads = entry[1].imports
    .filter((i) => i.kind === 'import-statement' && !i.external)
    .map((i) => `<link rel="modulepreload" href="${url(i.path)}" />`)
    .join('\n    ');
  const html = readFileSync(join(WEB_SOURCE, 'index.html'), 'utf8')
    .replace('%PRELOADS%', preloads)
    .replace('%FAVICON%', favicon)
    .replace('%STYLE%', url(entry[1].cssBundle))
    .replace('%SCRIPT%', url(entry[0]));
  writeFileSync(join(outDir, 'index.html'), html);

  const files = new Map<string, number>();
  for (const [file, output] of outputs) files.set(url(file).slice(1), output.bytes);
  files.set(favicon.slice(1), faviconSource.length);
  files.set('index.html', Buffer.byteLength(html));
  for (const [file, output] of Object.entries(worker.metafile.outputs)) files.set(url(file).slice(1), output.bytes);
  // Compressed once here, at their best, so the cloud serves them without spending CPU at start.
  for (const file of files.keys()) {
    const raw = readFileSync(join(outDir, file));
    writeFileSync(join(outDir, `${file}.gz`), gzipSync(raw, { level: 9 }));
    writeFileSync(join(outDir, `${file}.br`), brotliCompressSync(raw, { params: { [constants.BROTLI_PARAM_QUALITY]: 11 } }));
  }
  return { outDir, entryScript: url(entry[0]), entryStyle: url(entry[1].cssBundle), favicon, serviceWorker: '/sw.js', files };
}
