import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { escapeHtml, renderOpenApiPage } from './openapi-page.js';

describe('the /docs page', () => {
  it('lists every operation with its method, path, summary and schemas, escaped', () => {
    const html = renderOpenApiPage({
      info: { title: 'T', version: '1' },
      paths: {
        '/api/x/{id}': {
          get: { summary: 'Get <x>', parameters: [{ name: 'id', in: 'path', required: true, schema: { type: 'string' } }], responses: { 200: { description: 'ok' } } },
          delete: { summary: 'Drop x', responses: {} },
        },
      },
    });
    assert.match(html, /<!doctype html>/);
    assert.match(html, /GET<\/span> <code>\/api\/x\/\{id\}<\/code>/);
    assert.match(html, /DELETE/);
    assert.match(html, /Get &lt;x&gt;/);
    assert.doesNotMatch(html, /<script|https?:\/\/(?!localhost)/, 'self-contained: no scripts, no CDN');
  });

  it('escapes everything HTML cares about', () => {
    assert.equal(escapeHtml(`<a href="x">'&'</a>`), '&lt;a href=&quot;x&quot;&gt;&#39;&amp;&#39;&lt;/a&gt;');
  });
});
