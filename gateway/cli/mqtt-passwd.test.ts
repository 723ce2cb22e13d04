import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { describe, it } from 'node:test';
import YAML from 'yaml';
import { loadConfig } from '../config/load.js';
import { verifyPassword } from '../mqtt/password-hash.js';

const MAIN = fileURLToPath(new URL('./main.ts', import.meta.url));

function run(args: string[], stdin: string): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, ['--import', 'tsx', MAIN, ...args], { stdio: ['pipe', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (c: Buffer) => (stdout += c.toString()));
    child.stderr.on('data', (c: Buffer) => (stderr += c.toString()));
    child.on('exit', (code) => resolve({ code, stdout, stderr }));
    child.stdin.end(stdin);
  });
}

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
