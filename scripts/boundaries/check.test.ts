import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { after, describe, it } from 'node:test';
import { checkBoundaries } from './check.js';

function tree(files: Record<string, string>): string {
  const root = mkdtempSync(join(tmpdir(), 'easygas-boundaries-'));
  for (const [path, text] of Object.entries(files)) {
    mkdirSync(dirname(join(root, path)), { recursive: true });
    writeFileSync(join(root, path), text);
  }
  return root;
}

describe('import boundaries', () => {
  const roots: string[] = [];
  after(() => roots.forEach((r) => rmSync(r, { recursive: true, force: true })));
  const check = (files: Record<string, string>) => {
    const root = tree(files);
    roots.push(root);
    return checkBoundaries(root).map((v) => `${v.rule} ${v.file} ${v.specifier}`).sort();
  };

  it('accepts a tree that follows docs/architecture.md', () => {
    assert.deepEqual(
      check({
        'hardware/drivers/a.ts': "import { x } from '../fault.js'; import fs from 'node:fs'; import i2c from 'i2c-bus';",
        'hardware/fault.ts': 'export const x = 1;',
        'gateway/pipeline/p.ts': "import { q } from './q.js'; import { curve } from '../../hardware/drivers/curve.js';",
        'gateway/pipeline/q.ts': 'export const q = 1;',
        'hardware/drivers/curve.ts': "import { k } from './k.js'; export const curve = k;",
        'hardware/drivers/k.ts': 'export const k = 2;',
        'gateway/app/main.ts': "import { s } from '../../hardware/sim/s.js';",
        'hardware/sim/s.ts': "import { x } from '../fault.js'; export const s = x;",
        'cloud-sync/client/c.ts': "import { w } from '../protocol/w.js'; import axios from 'axios';",
        'cloud-sync/protocol/w.ts': 'export const w = 1;',
      }),
      [],
    );
  });

  it('flags hardware importing the gateway, pino, or the simulator from a driver', () => {
    assert.deepEqual(
      check({
        'hardware/drivers/a.ts': "import { g } from '../../gateway/x.js'; import { pino } from 'pino'; import { s } from '../sim/s.js';",
        'hardware/sim/s.ts': '',
        'gateway/x.ts': '',
      }),
      [
        'concrete-parts-only-in-composition-roots hardware/drivers/a.ts ../sim/s.js',
        'drivers-do-not-know-the-simulator hardware/drivers/a.ts ../sim/s.js',
        'hardware-is-a-leaf hardware/drivers/a.ts ../../gateway/x.js',
        'hardware-is-a-leaf hardware/drivers/a.ts pino',
      ],
    );
  });

  it('flags I/O in the pipeline, client/server crossings and concrete parts outside roots', () => {
    assert.deepEqual(
      check({
        'gateway/pipeline/p.ts':
          "import { readFileSync } from 'node:fs'; import { s } from '../store/s.js'; import { d } from '../../hardware/drivers/d.js';",
        'hardware/drivers/d.ts': "import { u } from './u.js'; export const d = u;",
        'hardware/drivers/u.ts': "import { open } from 'node:fs'; export const u = open;",
        'gateway/store/s.ts': '',
        'cloud-sync/client/c.ts': "import { srv } from '../server/srv.js'; import Database from 'better-sqlite3';",
        'cloud-sync/server/srv.ts': "import { c } from '../client/c.js';",
        'cloud-sync/protocol/w.ts': "export * from '../server/srv.js';",
        'gateway/sampling/poller.ts': "const m = await import('../../hardware/linux/i2c.js');",
        'hardware/linux/i2c.ts': '',
      }),
      [
        'client-stands-alone cloud-sync/client/c.ts ../server/srv.js',
        'client-stands-alone cloud-sync/client/c.ts better-sqlite3',
        'concrete-parts-only-in-composition-roots gateway/sampling/poller.ts ../../hardware/linux/i2c.js',
        'pipeline-is-pure gateway/pipeline/p.ts ../../hardware/drivers/d.js',
        'pipeline-is-pure gateway/pipeline/p.ts ../store/s.js',
        'pipeline-is-pure gateway/pipeline/p.ts node:fs',
        'protocol-is-a-leaf cloud-sync/protocol/w.ts ../server/srv.js',
        'server-stands-alone cloud-sync/server/srv.ts ../client/c.js',
      ],
    );
  });

  it('keeps the notification channels a library the server plugs in', () => {
    const channels = 'cloud-sync/server/modules/notifications/channels';
    assert.deepEqual(
      check({
        [`${channels}/email/e.ts`]: "import { m } from '../message.js'; import { createTransport } from 'nodemailer'; import { r } from '../../../../storage/r.js';",
        [`${channels}/message.ts`]: 'export const m = 1;',
        'cloud-sync/server/storage/r.ts': 'export const r = 1;',
        'cloud-sync/server/modules/notifications/worker.ts': "import { m } from './channels/message.js';",
      }),
      ['notification-channels-stand-alone cloud-sync/server/modules/notifications/channels/email/e.ts ../../../../storage/r.js'],
    );
  });

  it('lets the dashboard import the API’s schemas as types only, preact and uplot, and the shared back-off', () => {
    assert.deepEqual(
      check({
        'cloud-sync/web/src/a.tsx': [
          "import type { SensorView } from '../../server/api/device-schemas.js';",
          "import type { Severity } from '../../protocol/primitives.js';",
          "import type { Static } from 'typebox';",
          "import { render } from 'preact';",
          "import uPlot from 'uplot';",
          "import { Backoff } from '../../client/backoff.js';",
          "import { b } from './b.js';",
        ].join('\n'),
        'cloud-sync/web/src/b.ts': 'export const b = 1;',
        'cloud-sync/web/src/b.test.ts': "import assert from 'node:assert/strict';",
        'cloud-sync/server/api/device-schemas.ts': "import { Type } from 'typebox'; export const SensorView = Type.Object({});",
        'cloud-sync/protocol/primitives.ts': "export type Severity = 'info';",
        'cloud-sync/client/backoff.ts': 'export class Backoff {}',
      }),
      [],
    );
  });

  it('flags the dashboard importing server code, a value from the schemas, node:*, or another package', () => {
    assert.deepEqual(
      check({
        'cloud-sync/web/src/a.ts': [
          "import { SensorView } from '../../server/api/device-schemas.js';",
          "import { build } from '../../server/app.js';",
          "import type { Repository } from '../../server/storage/repository.js';",
          "import { readFileSync } from 'node:fs';",
          "import axios from 'axios';",
          "import { x } from '../../client/cloud-http.js';",
          "const lazy = await import('../../server/errors.js');",
        ].join('\n'),
        'cloud-sync/server/api/device-schemas.ts': 'export const SensorView = 1;',
        'cloud-sync/server/app.ts': '',
        'cloud-sync/server/errors.ts': '',
        'cloud-sync/server/storage/repository.ts': '',
        'cloud-sync/client/cloud-http.ts': "import axios from 'axios'; export const x = axios;",
      }),
      [
        'web-talks-to-the-server-over-http-only cloud-sync/web/src/a.ts ../../client/cloud-http.js',
        'web-talks-to-the-server-over-http-only cloud-sync/web/src/a.ts ../../server/api/device-schemas.js',
        'web-talks-to-the-server-over-http-only cloud-sync/web/src/a.ts ../../server/app.js',
        'web-talks-to-the-server-over-http-only cloud-sync/web/src/a.ts ../../server/errors.js',
        'web-talks-to-the-server-over-http-only cloud-sync/web/src/a.ts ../../server/storage/repository.js',
        'web-talks-to-the-server-over-http-only cloud-sync/web/src/a.ts axios',
        'web-talks-to-the-server-over-http-only cloud-sync/web/src/a.ts node:fs',
      ],
    );
  });
});
