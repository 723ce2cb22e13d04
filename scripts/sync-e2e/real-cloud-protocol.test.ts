/**
 * The agent against the REAL cloud API (in process, SQLite): what the fake cloud
 * of the unit tests cannot prove — the cloud's schemas accept the gateway's
 * batches and heartbeat (built by the daemon's own wiring), the agent accepts the
 * cloud's config and ETag, the heartbeat marks the gateway online, and a revoked
 * credential stops the agent with the re-provision hint.
 */
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import Database from 'better-sqlite3';
import { pino } from 'pino';
import { credentialPath, writeCredentialFile } from '../../cloud-sync/client/credential-file.js';
import { SyncAgent } from '../../cloud-sync/client/sync-agent.js';
import { MemoryOutbox } from '../../cloud-sync/client/test-support/memory-outbox.js';
import { waitFor } from '../../cloud-sync/client/test-support/wait-for.js';
import type { DeviceConfig } from '../../cloud-sync/protocol/index.js';
import { runCloud } from '../../cloud-sync/server/main.js';
import { buildHeartbeat, type SyncParts } from '../../gateway/app/sync-wiring.js';
import type { ReadingStore } from '../../gateway/store/reading-store.js';
import { provision, request } from '../bench/cloud-fixtures.js';

describe('sync agent against the real cloud API', () => {
  it('uploads, heartbeats (online), takes the config by ETag, and stops on a revoked credential', { timeout: 60_000 }, async () => {
    const dir = mkdtempSync(join(tmpdir(), 'easygas-real-cloud-'));
    const db = join(dir, 'cloud.db');
    const cloud = await runCloud({
      port: 0,
      db,
      logger: pino({ level: 'silent' }),
      print: () => undefined,
      overrides: { passwordCost: { N: 1024, r: 8, p: 1 }, sweeper: false },
    });
    const outbox = new MemoryOutbox();
    outbox.append(120);
    const applied: DeviceConfig[] = [];
    let held: number | undefined;
    const parts: SyncParts = {
      store: { backlog: () => outbox.backlog().then((b) => ({ ackedSeq: b.ackedSeq, lastSeq: 120, readings: b.records, events: 0, total: b.records })) } as ReadingStore,
      sensors: () => [{ id: 'lpg', name: 'LPG cylinder', kind: 'level', health: 'ok', samples: 10, rejected: 0 }],
      clockSynced: () => false,
      startedAtMono: () => 0,
      monotonic: () => 5_000,
    };
    const agent = new SyncAgent({
      outbox,
      credentialPath: credentialPath(dir),
      pollIntervalMs: 20,
      credentialCheckMs: 50,
      batchMaxRecords: 50,
      heartbeat: () => buildHeartbeat('test-1.0', parts),
      config: {
        heldVersion: () => held,
        apply: (config) => {
          applied.push(config);
          held = config.version;
          return [];
        },
      },
    });
    try {
      const { token, gateways } = await provision(cloud.url, 1);
      const gw = gateways[0];
      assert.ok(gw !== undefined);
      writeCredentialFile(credentialPath(dir), { version: 1, cloudUrl: cloud.url, gatewayId: gw.gatewayId, credential: gw.credential, provisionedAt: Date.now() });
      agent.start();
      await waitFor('everything acknowledged by the real cloud', () => outbox.ackedSeq === 120);
      const status = await agent.syncNow();
      assert.equal(status.state, 'idle', status.lastError);
      assert.equal(status.cursor, 120);
      assert.equal(applied.length, 1, 'the config was fetched and validated once');
      const fetchesBefore = applied.length;
      await agent.syncNow();
      assert.equal(applied.length, fetchesBefore, 'If-None-Match: nothing new while the version holds');

      const sqlite = new Database(db, { readonly: true });
      try {
        const row = sqlite.prepare('SELECT presence, heartbeat FROM gateways WHERE id = ?').get(gw.gatewayId) as { presence: string; heartbeat: string | null };
        assert.equal(row.presence, 'online', 'the heartbeat marks the gateway online');
        const heartbeat = JSON.parse(row.heartbeat ?? '{}') as { version?: string; clockSynced?: boolean };
        assert.equal(heartbeat.version, 'test-1.0');
        assert.equal(heartbeat.clockSynced, false);
        const unsynced = sqlite.prepare('SELECT COUNT(*) AS n FROM readings WHERE clock_synced = 0').get() as { n: number };
        assert.equal(unsynced.n, 60, 'the cloud keeps clockSynced: false');
      } finally {
        sqlite.close();
      }

      await request(cloud.url, 'POST', `/api/devices/${gw.gatewayId}/credential/revoke`, { token });
      outbox.append(5);
      await waitFor('unauthorized after the revocation', () => agent.status().state === 'unauthorized');
      assert.match(agent.status().lastError ?? '', /re-provision needed: easygas provision --cloud URL --code CODE/);
      assert.equal(outbox.ackedSeq, 120, 'nothing after the revocation is counted as sent');
    } finally {
      await agent.stop();
      await cloud.close();
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
