/**
 * The daemon under a pretend systemd: a unix datagram socket as $NOTIFY_SOCKET and a
 * 1 s WATCHDOG_USEC. It must say READY=1 once sampling runs, ping WATCHDOG=1 while
 * the pollers are alive, and say STOPPING=1 on SIGTERM before exiting 0.
 */
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { after, describe, it } from 'node:test';

interface Receiver {
  bind(path: string): void;
  close(): void;
}
const require = createRequire(import.meta.url);
const unix = require('unix-dgram') as { createSocket(type: 'unix_dgram', listener?: (msg: Buffer) => void): Receiver };

const ROOT = resolve(import.meta.dirname, '..', '..');
const dir = mkdtempSync(join(tmpdir(), 'easygas-sdnotify-'));
after(() => rmSync(dir, { recursive: true, force: true }));

describe('the daemon under systemd (Type=notify, WatchdogSec)', () => {
  it('says READY once sampling runs, pings the watchdog while sampling lives, and says STOPPING on SIGTERM', { timeout: 90_000 }, async (t) => {
    const socketPath = join(dir, 'notify.sock');
    const received: string[] = [];
    const waiters = new Set<() => void>();
    const systemd = unix.createSocket('unix_dgram', (msg) => {
      received.push(msg.toString());
      waiters.forEach((w) => w());
    });
    systemd.bind(socketPath);
    t.after(() => systemd.close());
    const until = (what: string, probe: () => boolean, timeoutMs = 45_000): Promise<void> =>
      new Promise((done, fail) => {
        const timer = setTimeout(() => fail(new Error(`no ${what} within ${timeoutMs} ms; got ${JSON.stringify(received)}; stderr: ${stderr}`)), timeoutMs);
        const check = (): void => {
          if (!probe()) return;
          clearTimeout(timer);
          waiters.delete(check);
          done();
        };
        waiters.add(check);
        check();
      });

    const child = spawn(process.execPath, ['--import', 'tsx', 'gateway/cli/main.ts', 'gateway', '--simulate', '--data-dir', join(dir, 'data'), '--log-level', 'warn'], {
      cwd: ROOT,
      env: { ...process.env, NOTIFY_SOCKET: socketPath, WATCHDOG_USEC: '1000000' },
      stdio: ['ignore', 'ignore', 'pipe'],
    });
    let stderr = '';
    child.stderr.on('data', (c: Buffer) => (stderr += c.toString()));
    const exited = new Promise<number | null>((done) => child.once('exit', (code) => done(code)));
    t.after(() => void (child.exitCode === null && child.kill('SIGKILL')));

    await until('READY=1', () => received.some((m) => m.startsWith('READY=1')));
    assert.match(received.find((m) => m.startsWith('READY=1')) ?? '', /STATUS=sampling \d+ sensors/);
    const readyAt = received.findIndex((m) => m.startsWith('READY=1'));
    await until('three watchdog pings', () => received.slice(readyAt).filter((m) => m === 'WATCHDOG=1').length >= 3);

    child.kill('SIGTERM');
    assert.equal(await exited, 0, stderr);
    assert.ok(received.some((m) => m.startsWith('STOPPING=1')), `no STOPPING=1 in ${JSON.stringify(received)}`);
  });
});
