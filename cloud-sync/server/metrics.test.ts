import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { CloudMetrics, Counter, Histogram } from './metrics.js';

describe('Prometheus metrics', () => {
  it('renders counters with escaped, sorted labels', () => {
    const c = new Counter('x_total', 'Things.');
    c.inc({ route: '/a', method: 'GET' });
    c.inc({ method: 'GET', route: '/a' }, 2);
    c.inc({ route: 'we"ird\\\n' });
    assert.deepEqual(c.render(), [
      '# HELP x_total Things.',
      '# TYPE x_total counter',
      'x_total{method="GET",route="/a"} 3',
      'x_total{route="we\\"ird\\\\\\n"} 1',
    ]);
  });

  it('renders cumulative histogram buckets, sum and count', () => {
    const h = new Histogram('d_seconds', 'Durations.', [0.1, 1]);
    h.observe({ op: 'q' }, 0.05);
    h.observe({ op: 'q' }, 0.5);
    h.observe({ op: 'q' }, 5);
    assert.deepEqual(h.render().slice(2), [
      'd_seconds_bucket{op="q",le="0.1"} 1',
      'd_seconds_bucket{op="q",le="1"} 2',
      'd_seconds_bucket{op="q",le="+Inf"} 3',
      'd_seconds_sum{op="q"} 5.55',
      'd_seconds_count{op="q"} 3',
    ]);
  });

  it('exposes every cloud figure, each with HELP and TYPE', () => {
    const text = new CloudMetrics().render();
    for (const name of ['easygas_http_requests_total', 'easygas_ingest_records_total', 'easygas_ingest_duplicates_total', 'easygas_rate_limited_total', 'easygas_db_operation_duration_seconds']) {
      assert.match(text, new RegExp(`# TYPE ${name} `));
    }
    assert.match(text, /easygas_process_resident_memory_bytes \d+/);
  });
});
