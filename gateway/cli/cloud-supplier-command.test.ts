import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { runCloud } from '../../cloud-sync/server/main.js';
import { parsePricePerLitre, parseTiers } from './supplier-tiers.js';
import { spawnCli } from './test-support/spawn-cli.js';

describe('supplier price tiers as typed', () => {
  it('reads prices exactly, as integers of 1/10,000', () => {
    assert.deepEqual(['0.8523', '1', '1.5', '0.0001', '12.34567', '1e3', '-1', ''].map(parsePricePerLitre), [8523, 10_000, 15_000, 1, undefined, undefined, undefined, undefined]);
    assert.deepEqual(parseTiers('lpg=100-499:0.9000,500-:0.8523'), {
      ok: true,
      product: 'lpg',
      tiers: [{ minVolume: 100, maxVolume: 499, pricePerLitre: 9000 }, { minVolume: 500, maxVolume: null, pricePerLitre: 8523 }],
    });
    assert.equal(parseTiers('petrol=1-:1').ok, false);
    assert.equal(parseTiers('lpg=100:0.9').ok, false);
  });
});

describe('easygas cloud supplier create', () => {
  const dir = mkdtempSync(join(tmpdir(), 'easygas-supplier-'));
  const db = join(dir, 'cloud.db');
  after(() => rmSync(dir, { recursive: true, force: true }));
  const args = ['cloud', 'supplier', 'create', '--email', 'orders@bathgas.example', '--company', 'Bath Gas', '--postal-codes', 'BA1 1AA, BA2 2BB', '--currency', 'GBP', '--db', db];

  it('refuses tiers with a gap, creating nothing', { timeout: 120_000 }, async () => {
    const gap = await spawnCli([...args, '--tiers', 'lpg=100-499:0.9,600-:0.85'], 'a long supplier password\n');
    assert.equal(gap.code, 64, gap.stderr);
    assert.match(gap.stderr, /leaves a gap after 499 L/);
  });

  it('creates a supplier that customers find by postal code and that sees its orders', { timeout: 120_000 }, async () => {
    const out = await spawnCli([...args, '--tiers', 'lpg=100-499:0.9000,500-:0.8523', '--lead-time-days', '3'], 'a long supplier password\n');
    assert.equal(out.code, 0, out.stderr);
    assert.match(out.stdout, /supplier Bath Gas created/);
    const cloud = await runCloud({ port: 0, db, print: () => undefined, overrides: { sweeper: false, retention: false } });
    try {
      const post = async (path: string, body: unknown) =>
        (await fetch(`${cloud.url}${path}`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) })).json() as Promise<{ accessToken: string }>;
      const supplier = await post('/api/auth/login', { email: 'orders@bathgas.example', password: 'a long supplier password' });
      const orders = await fetch(`${cloud.url}/api/supplier/orders`, { headers: { authorization: `Bearer ${supplier.accessToken}` } });
      assert.equal(orders.status, 200);
      assert.deepEqual(await orders.json(), []);
      const customer = await post('/api/auth/register', { email: 'ann@example.com', password: 'a long customer password', name: 'Ann' });
      const found = await fetch(`${cloud.url}/api/suppliers?postalCode=ba2%202bb&product=lpg&litres=500`, { headers: { authorization: `Bearer ${customer.accessToken}` } });
      const list = (await found.json()) as { company: string; leadTimeDays: number; quote: { formatted: string } }[];
      assert.deepEqual(list.map((s) => [s.company, s.leadTimeDays, s.quote.formatted]), [['Bath Gas', 3, '£426.15']]);
    } finally {
      await cloud.close();
    }
    const again = await spawnCli([...args, '--tiers', 'lpg=1-:1'], 'a long supplier password\n');
    assert.equal(again.code, 1);
    assert.match(again.stderr, /exists already/);
  });
});
