import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { runCloud } from '../../cloud-sync/server/main.js';
import { spawnCli } from './test-support/spawn-cli.js';

const run = spawnCli;

describe('easygas cloud admin create', () => {
  const dir = mkdtempSync(join(tmpdir(), 'easygas-admin-'));
  const db = join(dir, 'cloud.db');
  after(() => rmSync(dir, { recursive: true, force: true }));

  it('creates an admin from a password on stdin, who signs in as admin', { timeout: 120_000 }, async () => {
    const out = await run(['cloud', 'admin', 'create', '--email', 'ops@example.com', '--db', db], 'a long admin password\n');
    assert.equal(out.code, 0, out.stderr);
    assert.match(out.stdout, /admin ops@example\.com created/);
    assert.ok(!out.stdout.includes('a long admin password'));
    const cloud = await runCloud({ port: 0, db, print: () => undefined, overrides: { sweeper: false, retention: false } });
    try {
      const login = await fetch(`${cloud.url}/api/auth/login`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ email: 'ops@example.com', password: 'a long admin password' }),
      });
      const body = (await login.json()) as { user?: { role: string }; accessToken: string };
      assert.equal(login.status, 200, JSON.stringify(body));
      assert.equal(body.user?.role, 'admin');
      const devices = await fetch(`${cloud.url}/api/devices`, { headers: { authorization: `Bearer ${body.accessToken}` } });
      assert.equal(devices.status, 403, 'an admin is no customer: the customer routes are not its');
    } finally {
      await cloud.close();
    }
  });

  it('refuses a taken email, a short password and a bad email, creating nothing', { timeout: 120_000 }, async () => {
    const taken = await run(['cloud', 'admin', 'create', '--email', 'ops@example.com', '--db', db], 'another long password\n');
    assert.equal(taken.code, 1);
    assert.match(taken.stderr, /exists already; nothing changed/);
    const short = await run(['cloud', 'admin', 'create', '--email', 'two@example.com', '--db', db], 'short\n');
    assert.equal(short.code, 64);
    assert.match(short.stderr, /10 to 256 characters/);
    const bad = await run(['cloud', 'admin', 'create', '--email', 'not-an-email', '--db', db], 'a long admin password\n');
    assert.equal(bad.code, 64);
    assert.match(bad.stderr, /not an email address/);
  });
});
