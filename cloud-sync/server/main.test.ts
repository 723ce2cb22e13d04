import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { pino } from 'pino';
import { CloudStartError, runCloud, withPolicy } from './main.js';
import { loadChannelSettings } from './modules/notifications/channels/index.js';

const dir = mkdtempSync(join(tmpdir(), 'easygas-cloud-main-'));
const quiet = pino({ level: 'silent' });

describe('runCloud', () => {
  after(() => rmSync(dir, { recursive: true, force: true }));

  it('opens a SQLite file (creating its directory), listens, prints the URL and serves', async () => {
    const lines: string[] = [];
    const cloud = await runCloud({ port: 0, db: join(dir, 'nested', 'cloud.db'), logger: quiet, print: (l) => lines.push(l) });
    try {
      assert.match(cloud.url, /^http:\/\/127\.0\.0\.1:\d+$/);
      assert.equal(lines.length, 1);
      assert.ok(lines[0]?.includes(cloud.url) && lines[0].includes('/docs'), lines[0]);
      const health = await fetch(`${cloud.url}/healthz`);
      assert.equal(health.status, 200);
      assert.equal(((await health.json()) as { status: string }).status, 'ok');
    } finally {
      await cloud.close();
    }
  });

  it('says what to do when the port is taken', async () => {
    const blocker = createServer();
    await new Promise<void>((resolve) => blocker.listen(0, '127.0.0.1', resolve));
    const address = blocker.address();
    const port = typeof address === 'object' && address !== null ? address.port : 0;
    try {
      await assert.rejects(runCloud({ port, db: join(dir, 'busy.db'), logger: quiet, print: () => undefined }), (error: unknown) => {
        assert.ok(error instanceof CloudStartError);
        assert.match(error.message, new RegExp(`port ${port} is in use`));
        assert.match(error.hint, /--port/);
        return true;
      });
    } finally {
      await new Promise((resolve) => blocker.close(resolve));
    }
  });

  it('says what to do when the database cannot be opened', async () => {
    const file = join(dir, 'a-file');
    writeFileSync(file, 'not a directory');
    const db = join(file, 'cloud.db');
    await assert.rejects(runCloud({ port: 0, db, logger: quiet, print: () => undefined }), (error: unknown) => {
      assert.ok(error instanceof CloudStartError);
      assert.ok(error.message.startsWith(`cannot open the cloud database ${db}:`), error.message);
      assert.match(error.hint, /writable/);
      return true;
    });
  });
});

describe('the notification policy settings reach the server', () => {
  it('as the outbox and late-event options, under what the caller set explicitly', () => {
    const policy = loadChannelSettings({ env: { EASYGAS_ESCALATION_MINUTES: '10', EASYGAS_SMS_PER_HOUR: '3', EASYGAS_LATE_EVENT_HOURS: '6' } }).policy;
    const options = withPolicy(policy, { outbox: { run: false, escalationRepeats: 1 } });
    assert.equal(options.lateEventAfterMs, 6 * 3_600_000);
    assert.deepEqual(options.outbox, { escalationIntervalMs: 600_000, escalationRepeats: 1, giveUpAfterMs: 3_600_000, channelLimits: { sms: 3 }, run: false });
  });

  it('refuses to start with a bad value, naming the variable', async () => {
    process.env.EASYGAS_ESCALATION_MINUTES = '0';
    try {
      await assert.rejects(runCloud({ port: 0, db: join(dir, 'policy.db'), logger: quiet, print: () => undefined }), (error: unknown) => {
        assert.ok(error instanceof CloudStartError, String(error));
        assert.match(error.message, /policy\.escalationMinutes \(EASYGAS_ESCALATION_MINUTES\): must be a whole number from 1 to 1440/);
        assert.match(error.hint, /Notification policy/);
        return true;
      });
    } finally {
      delete process.env.EASYGAS_ESCALATION_MINUTES;
    }
  });
});
