import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { silentLogger } from '../../hardware/logger.js';
import { systemdNotifier } from './sd-notify.js';

interface Receiver {
  bind(path: string): void;
  on(event: 'message', listener: (msg: Buffer) => void): void;
  on(event: 'listening' | 'error', listener: (err?: Error) => void): void;
  close(): void;
}

const require = createRequire(import.meta.url);
const unix = require('unix-dgram') as { createSocket(type: 'unix_dgram', listener?: (msg: Buffer) => void): Receiver };

describe('sd_notify', () => {
  const dir = mkdtempSync(join(tmpdir(), 'easygas-notify-'));
  after(() => rmSync(dir, { recursive: true, force: true }));

  it('sends READY, STATUS, WATCHDOG and STOPPING datagrams to $NOTIFY_SOCKET, like systemd receives them', async () => {
    const path = join(dir, 'notify.sock');
    const received: string[] = [];
    let gotAll: () => void = () => undefined;
    const done = new Promise<void>((resolve) => (gotAll = resolve));
    const systemd = unix.createSocket('unix_dgram', (msg) => {
      received.push(msg.toString());
      if (received.length === 3) gotAll();
    });
    systemd.bind(path);
    try {
      const notifier = systemdNotifier({ env: { NOTIFY_SOCKET: path, WATCHDOG_USEC: '30000000' }, logger: silentLogger });
      assert.equal(notifier.active, true);
      assert.equal(notifier.watchdogMs, 30_000);
      notifier.ready('sampling 4 sensors');
      notifier.watchdog();
      notifier.stopping();
      const timeout = setTimeout(() => gotAll(), 5_000);
      await done;
      clearTimeout(timeout);
      assert.deepEqual(received, ['READY=1\nSTATUS=sampling 4 sensors', 'WATCHDOG=1', 'STOPPING=1']);
      notifier.close();
    } finally {
      systemd.close();
    }
  });

  it('is a no-op outside systemd, and ignores a watchdog meant for another pid', () => {
    const sent: string[] = [];
    const off = systemdNotifier({ env: {}, logger: silentLogger, transport: { send: (m) => sent.push(m), close: () => undefined } });
    off.ready();
    assert.equal(off.active, false);
    assert.equal(sent.length, 0);
    const other = systemdNotifier({ env: { NOTIFY_SOCKET: '@x', WATCHDOG_USEC: '1000', WATCHDOG_PID: '1' }, logger: silentLogger, transport: { send: (m) => sent.push(m), close: () => undefined } });
    assert.equal(other.watchdogMs, undefined);
    other.status('hello');
    assert.deepEqual(sent, ['STATUS=hello']);
  });
});
