/**
 * The documented exit codes of the real `easygas` process (sysexits.h): 0 for --help
 * and --version, 64 for a usage error (commander's, and a bad option value), 69 when
 * the gateway is unreachable, 78 for an invalid config, from the daemon and from a
 * command that reads the config to find the gateway.
 */
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { after, describe, it } from 'node:test';
import { EXIT_CONFIG, EXIT_UNAVAILABLE, EXIT_USAGE } from '../../errors.js';
import { MAIN } from '../test-support/simulated-gateway.js';

const INVALID = fileURLToPath(new URL('../../config/fixtures/invalid.yaml', import.meta.url));
const empty = mkdtempSync(join(tmpdir(), 'easygas-exit-'));
after(() => rmSync(empty, { recursive: true, force: true }));

function easygas(args: string[]): Promise<{ code: number | null; stderr: string }> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, ['--import', 'tsx', MAIN, ...args], { stdio: ['ignore', 'ignore', 'pipe'], env: { ...process.env, EASYGAS_CONFIG: '', EASYGAS_DATA_DIR: '' } });
    let stderr = '';
    child.stderr.on('data', (c: Buffer) => (stderr += c.toString()));
    child.on('exit', (code) => resolve({ code, stderr }));
  });
}

describe('exit codes of the easygas process', () => {
  it('0 for --help and --version', async () => {
    assert.equal((await easygas(['--help'])).code, 0);
    assert.equal((await easygas(['status', '--help'])).code, 0);
    assert.equal((await easygas(['--version'])).code, 0);
  });

  it('64 (EX_USAGE) for an unknown command or option, a missing argument and a bad option value', async () => {
    for (const [args, said] of [
      [['frobnicate'], /unknown command 'frobnicate'/],
      [['status', '--bogus'], /unknown option '--bogus'/],
      [['readings'], /missing required argument 'sensor'/],
      [['gateway', '--simulate', '--speed', '-3'], /must be a positive number/],
    ] as const) {
      const run = await easygas([...args]);
      assert.equal(run.code, EXIT_USAGE, `${args.join(' ')}: ${run.stderr}`);
      assert.match(run.stderr, said);
      assert.match(run.stderr, /add --help for usage/);
    }
  });

  it('69 (EX_UNAVAILABLE) when no gateway runs for the command to talk to', async () => {
    const run = await easygas(['status', '--data-dir', empty]);
    assert.equal(run.code, EXIT_UNAVAILABLE, run.stderr);
    assert.match(run.stderr, /no running gateway found/);
  });

  it('78 (EX_CONFIG) for an invalid config, from the daemon and from a command that reads it', async () => {
    const daemon = await easygas(['gateway', '--config', INVALID, '--data-dir', empty]);
    assert.equal(daemon.code, EXIT_CONFIG, daemon.stderr);
    const status = await easygas(['status', '--config', INVALID]);
    assert.equal(status.code, EXIT_CONFIG, status.stderr);
    assert.match(status.stderr, /is not valid/);
  });
});
