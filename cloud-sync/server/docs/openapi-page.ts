/**
 * GET /docs: the OpenAPI document rendered as one self-contained HTML page (no
 * scripts, no CDN — a Pi and CI have no internet): every path and method, with its
 * summary, parameters, request body and answers, schemas shown as JSON.
 */
interface Parameter {
  readonly name: string;
  readonly in: string;
  readonly required?: boolean;
  readonly schema?: unknown;
  readonly description?: string;
}

interface Operation {
  readonly operationId?: string;
  readonly summary?: string;
  readonly description?: string;
  readonly tags?: readonly string[];
  readonly security?: readonly Record<string, unknown>[];
  readonly parameters?: readonly (Parameter | { $ref: string })[];
  readonly requestBody?: { content?: Record<string, { schema?: unknown }> };
  readonly responses?: Record<string, { description?: string; headers?: Record<string, unknown>; content?: Record<string, { schema?: unknown }> }>;
}

interface OpenApiDocument {
  readonly info?: { title?: string; version?: string; description?: string };
  readonly paths?: Record<string, Record<string, Operation>>;
  readonly components?: { schemas?: Record<string, unknown>; parameters?: Record<string, Parameter> };
}

const METHODS = ['get', 'post', 'put', 'patch', 'delete'];

export function escapeHtml(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;').replace(/'/g, '&#39;');
}

function schemaBlock(schema: unknown): string {
  return `<pre>${escapeHtml(JSON.stringify(schema, null, 2))}</pre>`;
}

/** A parameter given as `{ $ref: '#/components/parameters/X' }` is shown as X. */
function resolveParameter(document: OpenApiDocument, p: Parameter | { $ref: string }): Parameter | undefined {
  if (!('$ref' in p)) return p;
  return document.components?.parameters?.[p.$ref.split('/').pop() ?? ''];
}

function operationHtml(document: OpenApiDocument, path: string, method: string, op: Operation): string {
  const id = `${method}-${path}`.replace(/[^a-zA-Z0-9]+/g, '-');
  const auth = (op.security ?? []).flatMap((s) => Object.keys(s));
  const params = (op.parameters ?? [])
    .map((ref) => resolveParameter(document, ref))
    .filter((p): p is Parameter => p !== undefined)
    .map((p) => `<li><code>${escapeHtml(p.name)}</code> (${escapeHtml(p.in)}${p.required === true ? ', required' : ''}) ${escapeHtml(p.description ?? '')} ${schemaBlock(p.schema ?? {})}</li>`)
    .join('');
  const body = op.requestBody?.content?.['application/json']?.schema;
  const responses = Object.entries(op.responses ?? {})
    .map(([status, r]) => {
      const schema = Object.values(r.content ?? {})[0]?.schema;
      const headers = Object.keys(r.headers ?? {});
      return `<details><summary><b>${escapeHtml(status)}</b> ${escapeHtml(r.description ?? '')}</summary>${
        headers.length === 0 ? '' : `<p>Headers: ${headers.map((h) => `<code>${escapeHtml(h)}</code>`).join(', ')}</p>`
      }${schema === undefined ? '' : schemaBlock(schema)}</details>`;
    })
    .join('');
  return `<section id="${id}">
  <h3><span class="m ${method}">${method.toUpperCase()}</span> <code>${escapeHtml(path)}</code></h3>
  <p>${escapeHtml(op.summary ?? '')}${auth.length > 0 ? ` <small>auth: ${escapeHtml(auth.join(', '))}</small>` : ' <small>no auth</small>'}${
    op.operationId === undefined ? '' : ` <small>operationId: <code>${escapeHtml(op.operationId)}</code></small>`
  }</p>
  ${op.description === undefined ? '' : `<p>${escapeHtml(op.description)}</p>`}
  ${params === '' ? '' : `<h4>Parameters</h4><ul>${params}</ul>`}
  ${body === undefined ? '' : `<details><summary><b>Request body</b></summary>${schemaBlock(body)}</details>`}
  <h4>Responses</h4>${responses}
</section>`;
}

export function renderOpenApiPage(document: OpenApiDocument): string {
  const entries = Object.entries(document.paths ?? {}).flatMap(([path, item]) =>
    METHODS.filter((m) => item[m] !== undefined).map((m) => ({ path, method: m, op: item[m] as Operation })),
  );
  const index = entries
    .map(({ path, method, op }) => `<li><a href="#${`${method}-${path}`.replace(/[^a-zA-Z0-9]+/g, '-')}"><span class="m ${method}">${method.toUpperCase()}</span> ${escapeHtml(path)}</a> — ${escapeHtml(op.summary ?? '')}</li>`)
    .join('\n');
  const title = `${document.info?.title ?? 'API'} ${document.info?.version ?? ''}`.trim();
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>${escapeHtml(title)}</title>
<style>
body{font:15px/1.45 system-ui,sans-serif;max-width:60rem;margin:2rem auto;padding:0 1rem;color:#222}
pre{background:#f5f5f5;padding:.5rem;overflow:auto;font-size:12px}
section{border-top:1px solid #ddd;padding-top:.5rem}
.m{display:inline-block;min-width:4.2em;text-align:center;border-radius:3px;color:#fff;font-size:12px;padding:1px 4px}
.get{background:#2a7}.post{background:#27c}.put{background:#c80}.patch{background:#a5c}.delete{background:#c33}
a{text-decoration:none}
</style></head><body>
<h1>${escapeHtml(title)}</h1>
<p>${escapeHtml(document.info?.description ?? '')}</p>
<p>Machine-readable: <a href="/docs/openapi.json">/docs/openapi.json</a></p>
<ul>${index}</ul>
${entries.map(({ path, method, op }) => operationHtml(document, path, method, op)).join('\n')}
<h2>Schemas</h2>
${Object.entries(document.components?.schemas ?? {})
  .map(([name, schema]) => `<section id="schema-${escapeHtml(name)}"><h3><code>${escapeHtml(name)}</code></h3>${schemaBlock(schema)}</section>`)
  .join('\n')}
</body></html>`;
}
