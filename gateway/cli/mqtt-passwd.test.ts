import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import YAML from 'yaml';
import { loadConfig } from '../config/load.js';
import { verifyPassword } from '../mqtt/password-hash.js';
import { spawnCli } from './test-support/spawn-cli.js';

const run = spawnCli;

describe('easygas mqtt passwd', () => {
  it('prints a users: entry the config accepts, whose hash matches the password and never contains it', { timeout: 60_000 }, async () => {
    const out = await run(['mqtt', 'passwd', 'garage-node', '--nodes', 'garage, shed'], 'open sesame\nignored second line\n');
    assert.equal(out.code, 0, out.stderr);
    assert.ok(!out.stdout.includes('open sesame'));
    const [entry] = YAML.parse(out.stdout) as { username: string; passwordHash: string; nodes: string[] }[];
    assert.equal(entry?.username, 'garage-node');
    assert.deepEqual(entry?.nodes, ['garage', 'shed']);
    assert.equal(await verifyPassword('open sesame', entry?.passwordHash ?? ''), true);
    const loaded = await loadConfig({ text: YAML.stringify({ version: 1, mqtt: { users: [entry] } }), env: {} });
    assert.ok(loaded.ok, JSON.stringify(!loaded.ok && loaded.errors));
  });

  it('refuses an empty password and a bad node id', { timeout: 60_000 }, async () => {
    const empty = await run(['mqtt', 'passwd', 'ha'], '\n');
    assert.equal(empty.code, 64);
    assert.match(empty.stderr, /empty password/);
    const bad = await run(['mqtt', 'passwd', 'ha', '--nodes', 'Garage'], 'x\n');
    assert.equal(bad.code, 64);
    assert.match(bad.stderr, /not a node id/);
  });
});
