import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { pino } from 'pino';
import { CloudStartError, runCloud } from './main.js';

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
