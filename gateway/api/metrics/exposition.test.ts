import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { readExposition } from '../test-support/scrape.js';
import { renderExposition, stateSet } from './exposition.js';

describe('Prometheus exposition writer', () => {
  it('writes HELP and TYPE before samples, and escapes HELP text and label values so a parser reads them back', () => {
    const nasty = 'Kitchen "gas" \\ sniffer\nsecond line';
    const text = renderExposition([
      { name: 'x_info', type: 'gauge', help: 'Help with a \\ backslash\nand a line feed.', samples: [{ labels: { name: nasty, id: 'gw' }, value: 1 }] },
      { name: 'x_events_total', type: 'counter', help: 'Counted.', samples: [{ value: 42 }] },
      { name: 'x_empty', type: 'gauge', help: 'No series now.', samples: [] },
      { name: 'x_odd', type: 'gauge', help: 'Odd values.', samples: [{ labels: { v: 'nan' }, value: Number.NaN }, { labels: { v: 'inf' }, value: Infinity }, { labels: { v: 'ninf' }, value: -Infinity }, { labels: { v: 'small' }, value: 1.5e-7 }] },
    ]);
    assert.match(text, /^# HELP x_info Help with a \\\\ backslash\\nand a line feed\.\n# TYPE x_info gauge\n/);
    const scrape = readExposition(text);
    assert.deepEqual(scrape.series('x_info'), [{ labels: { name: nasty, id: 'gw' }, value: 1 }]);
    assert.equal(scrape.families.get('x_info')?.help, 'Help with a \\ backslash\nand a line feed.');
    assert.equal(scrape.value('x_events_total'), 42);
    assert.equal(scrape.families.get('x_events_total')?.type, 'COUNTER');
    assert.ok(Number.isNaN(scrape.value('x_odd', { v: 'nan' })));
    assert.equal(scrape.value('x_odd', { v: 'inf' }), Infinity);
    assert.equal(scrape.value('x_odd', { v: 'ninf' }), -Infinity);
    assert.equal(scrape.value('x_odd', { v: 'small' }), 1.5e-7);
  });

  it('refuses names the format does not allow, and a family written twice', () => {
    assert.throws(() => renderExposition([{ name: 'bad-name', type: 'gauge', help: 'h', samples: [] }]), /bad metric name/);
    assert.throws(() => renderExposition([{ name: 'ok', type: 'gauge', help: 'h', samples: [{ labels: { 'bad-label': 'x' }, value: 1 }] }]), /bad label name/);
    assert.throws(() => renderExposition([{ name: 'ok', type: 'gauge', help: 'h', samples: [{ labels: { __reserved: 'x' }, value: 1 }] }]), /bad label name/);
    assert.throws(() => renderExposition([{ name: 'ok', type: 'gauge', help: 'h', samples: [] }, { name: 'ok', type: 'gauge', help: 'h', samples: [] }]), /twice/);
  });

  it('writes a state set with one 1 and the rest 0', () => {
    assert.deepEqual(stateSet(['a', 'b', 'c'], 'b', { sensor: 's' }, 'health').map((s) => [s.labels?.health, s.value]), [['a', 0], ['b', 1], ['c', 0]]);
  });
});
