import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { readLedger, staleTopics, writeLedger } from './retained-ledger.js';

const dir = mkdtempSync(join(tmpdir(), 'easygas-ledger-'));
after(() => rmSync(dir, { recursive: true, force: true }));

describe('the retained-topic ledger', () => {
  it('remembers the topics published, and finds those a new config dropped', () => {
    const path = join(dir, 'mqtt-topics.json');
    assert.deepEqual(readLedger(path), [], 'nothing known at first');
    writeLedger(path, ['b', 'a']);
    assert.deepEqual(readLedger(path), ['a', 'b']);
    assert.deepEqual(staleTopics(readLedger(path), ['b', 'c']), ['a']);
  });

  it('treats a damaged file as nothing known', () => {
    const path = join(dir, 'broken.json');
    for (const text of ['{', '[]', '{"topics": "x"}', '{"topics": [1, "", "ok"]}']) {
      writeFileSync(path, text);
      assert.deepEqual(readLedger(path), text.includes('ok') ? ['ok'] : [], text);
    }
  });
});
