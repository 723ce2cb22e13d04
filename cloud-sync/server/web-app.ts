/**
 * Serves the dashboard (the bundle `npm run build` writes to dist/web) at `/`, same
 * origin as the API. Files are read once at start, with the .br and .gz copies the
 * build made beside them (the cloud does not spend its start-up compressing). Hashed assets are
 * cached for a year (their name changes with their content); index.html is revalidated
 * every time, so a new release is picked up at the next load. Every page carries a
 * strict Content-Security-Policy: only this origin's scripts, styles and connections,
 * no inline script or style, no frames. Non-/api GETs that match no route get
 * index.html (the app routes in the browser); /api/* keeps its JSON 404s.
 */
import { createHash } from 'node:crypto';
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { extname, join, relative, sep } from 'node:path';
import { gzipSync } from 'node:zlib';
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { CloudApp } from './context.js';

export const CONTENT_SECURITY_POLICY = [
  "default-src 'none'",
  "script-src 'self'",
  "style-src 'self'",
  "img-src 'self'",
  "font-src 'self'",
  "connect-src 'self'",
  "manifest-src 'self'",
  "base-uri 'none'",
  "form-action 'self'",
  "frame-ancestors 'none'",
].join('; ');

const SECURITY_HEADERS = {
  'content-security-policy': CONTENT_SECURITY_POLICY,
  'x-content-type-options': 'nosniff',
  'referrer-policy': 'same-origin',
  'cross-origin-opener-policy': 'same-origin',
} as const;

const TYPES: Readonly<Record<string, string>> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.json': 'application/json',
  '.png': 'image/png',
  '.woff2': 'font/woff2',
  '.txt': 'text/plain; charset=utf-8',
};

interface WebFile {
  readonly type: string;
  readonly etag: string;
  readonly raw: Buffer;
  readonly gzip: Buffer;
  readonly br: Buffer | undefined;
}

/** The compressed copies the build wrote; a quick gzip when there are none (a hand-made folder). */
function load(path: string): WebFile {
  const raw = readFileSync(path);
  return {
    type: TYPES[extname(path)] ?? 'application/octet-stream',
    etag: `"${createHash('sha256').update(raw).digest('base64url').slice(0, 22)}"`,
    raw,
    gzip: existsSync(`${path}.gz`) ? readFileSync(`${path}.gz`) : gzipSync(raw, { level: 6 }),
    br: existsSync(`${path}.br`) ? readFileSync(`${path}.br`) : undefined,
  };
}

function filesUnder(dir: string, out: string[] = []): string[] {
  for (const name of readdirSync(dir)) {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) filesUnder(path, out);
    else out.push(path);
  }
  return out;
}

/** True when `root` holds a built dashboard. */
export function isWebRoot(root: string): boolean {
  return existsSync(join(root, 'index.html'));
}

function send(request: FastifyRequest, reply: FastifyReply, file: WebFile, cacheControl: string): FastifyReply {
  void reply.headers({ ...SECURITY_HEADERS, 'content-type': file.type, 'cache-control': cacheControl, etag: file.etag, vary: 'accept-encoding' });
  if (request.headers['if-none-match'] === file.etag) return reply.status(304).send();
  const accepts = String(request.headers['accept-encoding'] ?? '');
  if (file.br !== undefined && /\bbr\b/.test(accepts)) return reply.header('content-encoding', 'br').send(file.br);
  if (/\bgzip\b/.test(accepts)) return reply.header('content-encoding', 'gzip').send(file.gzip);
  return reply.send(file.raw);
}

export interface WebApp {
  /** Wraps the API's not-found handler: index.html for a page URL, the JSON 404 for everything else. */
  notFound(fallback: (request: FastifyRequest, reply: FastifyReply) => void): (request: FastifyRequest, reply: FastifyReply) => void;
}

export function isApiPath(url: string): boolean {
  const path = url.split('?')[0] ?? '';
  return path === '/api' || path.startsWith('/api/');
}

export function webApp(app: CloudApp, root: string): WebApp {
  const files = new Map<string, WebFile>();
  for (const path of filesUnder(root)) {
    if (path.endsWith('.gz') || path.endsWith('.br')) continue;
    files.set(`/${relative(root, path).split(sep).join('/')}`, load(path));
  }
  const index = files.get('/index.html');
  if (index === undefined) throw new Error(`no index.html in ${root}: run npm run build`);
  const immutable = 'public, max-age=31536000, immutable';
  const revalidate = 'no-cache';

  app.get('/', { schema: { hide: true } }, (request, reply) => send(request, reply, index, revalidate));
  app.get('/assets/*', { schema: { hide: true } }, (request, reply) => {
    const file = files.get(request.url.split('?')[0] ?? '');
    if (file === undefined) return reply.callNotFound();
    return send(request, reply, file, immutable);
  });
  for (const [path, file] of files) {
    if (path.startsWith('/assets/') || path === '/index.html') continue;
    app.get(path, { schema: { hide: true } }, (request, reply) => send(request, reply, file, revalidate));
  }

  return {
    notFound: (fallback) => (request, reply) => {
      const page = (request.method === 'GET' || request.method === 'HEAD') && !isApiPath(request.url) && !request.url.startsWith('/assets/');
      if (page) {
        void send(request, reply, index, revalidate);
        return;
      }
      fallback(request, reply);
    },
  };
}
