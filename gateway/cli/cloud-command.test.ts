import assert from 'node:assert/strict';
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { createInterface } from 'node:readline';
import { after, describe, it } from 'node:test';

const ROOT = resolve(import.meta.dirname, '..', '..');
const dirs: string[] = [];
after(() => dirs.forEach((d) => rmSync(d, { recursive: true, force: true })));

interface Run {
  readonly child: ChildProcess;
  readonly stderr: () => string;
  readonly exit: Promise<number | null>;
  /** The first stdout line matching `re`, or a rejection when the process exits first. */
  line(re: RegExp, timeoutMs?: number): Promise<RegExpExecArray>;
}

function easygas(args: string[]): Run {
  const child = spawn(process.execPath, ['--import', 'tsx', 'gateway/cli/main.ts', ...args], { cwd: ROOT, stdio: ['ignore', 'pipe', 'pipe'] });
  let stderr = '';
  child.stderr.on('data', (c: Buffer) => (stderr += c.toString()));
  const exit = new Promise<number | null>((done) => child.once('exit', (code) => done(code)));
  const lines: string[] = [];
  const waiters = new Set<() => void>();
  createInterface({ input: child.stdout }).on('line', (l) => {
    lines.push(l);
    waiters.forEach((w) => w());
  });
  return {
    child,
    stderr: () => stderr,
    exit,
    line: (re, timeoutMs = 30_000) =>
      new Promise((done, fail) => {
        const timer = setTimeout(() => fail(new Error(`no line matching ${re} within ${timeoutMs} ms; stderr: ${stderr}`)), timeoutMs);
        const check = (): void => {
          for (const l of lines) {
            const m = re.exec(l);
            if (m !== null) {
              clearTimeout(timer);
              waiters.delete(check);
              done(m);
              return;
            }
          }
        };
        waiters.add(check);
        void exit.then(() => {
          check();
          clearTimeout(timer);
          fail(new Error(`exited before a line matching ${re}; stderr: ${stderr}`));
        });
        check();
      }),
  };
}

describe('easygas cloud', () => {
  it('serves the API on the port it prints, on a SQLite file, and stops cleanly on SIGTERM', { timeout: 60_000 }, async (t) => {
    const dir = mkdtempSync(join(tmpdir(), 'easygas-cloud-cmd-'));
    dirs.push(dir);
    const run = easygas(['cloud', '--port', '0', '--db', join(dir, 'nested', 'cloud.db')]);
    t.after(() => void (run.child.exitCode === null && run.child.kill('SIGKILL')));
    const [, url] = await run.line(/EasyGas cloud API on (http:\/\/[\d.]+:\d+)/);
    const health = await fetch(`${url}/healthz`);
    assert.equal(health.status, 200);
    run.child.kill('SIGTERM');
    assert.equal(await run.exit, 0);
  });

  it('says the port is taken and what to do, with exit 1', { timeout: 60_000 }, async (t) => {
    const dir = mkdtempSync(join(tmpdir(), 'easygas-cloud-cmd-'));
    dirs.push(dir);
    const blocker = createServer();
    await new Promise<void>((done) => blocker.listen(0, '127.0.0.1', done));
    t.after(() => blocker.close());
    const address = blocker.address();
    assert.ok(typeof address === 'object' && address !== null);
    const run = easygas(['cloud', '--port', String(address.port), '--db', join(dir, 'cloud.db')]);
    t.after(() => void (run.child.exitCode === null && run.child.kill('SIGKILL')));
    assert.equal(await run.exit, 1);
    assert.match(run.stderr(), new RegExp(`port ${address.port} is in use`));
    assert.match(run.stderr(), /--port/);
  });

  it('rejects a port that is not one', { timeout: 60_000 }, async () => {
    const run = easygas(['cloud', '--port', 'eighty']);
    assert.notEqual(await run.exit, 0);
    assert.match(run.stderr(), /must be a port number/);
  });
});

describe('easygas cloud storage settings', () => {
  it('reads retention and pools from the flags, then the environment, and names a bad value', async () => {
    const { cloudStorageSettings } = await import('./cloud-command.js');
    assert.deepEqual(cloudStorageSettings({}, {}), {});
    assert.deepEqual(cloudStorageSettings({ rawRetention: '90d', pgPool: 20 }, { EASYGAS_CLOUD_PG_READ_POOL: '4', EASYGAS_CLOUD_READ_TIMEOUT: '30s' }), {
      rawRetentionMs: 90 * 86_400_000,
      pools: { size: 20, readSize: 4, readTimeoutMs: 30_000 },
    });
    assert.deepEqual(cloudStorageSettings({}, { EASYGAS_CLOUD_RAW_RETENTION: 'off' }), { rawRetentionMs: null });
    assert.match(JSON.stringify(cloudStorageSettings({ rawRetention: 'a year' }, {})), /--raw-retention \\"a year\\" is not a duration/);
    assert.match(JSON.stringify(cloudStorageSettings({}, { EASYGAS_CLOUD_PG_POOL: '2.5' })), /--pg-pool \\"2.5\\" must be a whole number/);
    assert.match(JSON.stringify(cloudStorageSettings({ readTimeout: '5ms' }, {})), /--read-timeout \\"5ms\\"/);
  });
});
