/**
 * The gateway side of the sync-drain benchmark, in its own process so its peak
 * RSS is its own. argv[2] is JSON:
 *   { mode: 'fill', dataDir, count }   writes `count` readings into gateway.db
 *                                       (GatewayStore, transferred every 50 000) and exits;
 *   { mode: 'drain', dataDir, batchMaxRecords }
 *                                       opens the store as the daemon does (worker thread),
 *                                       runs the SyncAgent until the backlog is empty, prints
 *                                       one JSON line { records, seconds, bytes, idleRssMb, peakRssMb }.
 */
import { join } from 'node:path';
import { SyncAgent } from '../../cloud-sync/client/sync-agent.js';
import { credentialPath } from '../../cloud-sync/client/credential-file.js';
import { storeOutbox } from '../../gateway/app/store-outbox.js';
import type { Reading } from '../../gateway/pipeline/types.js';
import { GatewayStore } from '../../gateway/store/gateway-store.js';
import { DB_FILE_NAME } from '../../gateway/store/recovery.js';
import { StoreClient } from '../../gateway/store/store-client.js';

interface ChildArgs {
  readonly mode: 'fill' | 'drain';
  readonly dataDir: string;
  readonly count?: number;
  readonly batchMaxRecords?: number;
}

const args = JSON.parse(process.argv[2] ?? '{}') as ChildArgs;

function reading(i: number, start: number): Reading {
  const gas = i % 3 === 2;
  const value = gas ? 1 + (i % 7) / 10 : 80 - (i % 1000) / 50;
  return {
    sensorId: gas ? 'kitchen-gas' : i % 3 === 0 ? 'lpg' : 'roof-tank',
    kind: gas ? 'gas' : 'level',
    at: start + Math.floor(i / 3) * 60_000,
    mono: i,
    clockSynced: true,
    value,
    unit: gas ? '%LEL' : '%',
    raw: gas ? 0.42 : 231 + (i % 100),
    ...(gas ? { ppm: 190 + (i % 40) } : { percent: value, litres: (value / 100) * 45 }),
    quality: 'ok',
  };
}

if (args.mode === 'fill') {
  const store = GatewayStore.open(join(args.dataDir, DB_FILE_NAME), { gatewayId: 'bench-gw' });
  const count = args.count ?? 0;
  const start = Date.now() - 400 * 24 * 3_600_000;
  for (let done = 0; done < count; ) {
    const n = Math.min(500, count - done);
    store.appendReadings(Array.from({ length: n }, (_, k) => reading(done + k, start)));
    done += n;
    if (done % 50_000 === 0) store.transfer();
  }
  store.close();
  process.stdout.write(`${JSON.stringify({ filled: count })}\n`);
} else {
  const store = new StoreClient({ dataDir: args.dataDir, config: { gatewayId: 'bench-gw' } });
  await store.ready();
  const idleRss = process.memoryUsage().rss;
  const peak = { rss: idleRss };
  const sampler = setInterval(() => (peak.rss = Math.max(peak.rss, process.memoryUsage().rss)), 50);
  const agent = new SyncAgent({
    outbox: storeOutbox(store),
    credentialPath: credentialPath(args.dataDir),
    batchMaxRecords: args.batchMaxRecords ?? 500,
    pollIntervalMs: 20,
  });
  const total = (await store.backlog()).total;
  const began = performance.now();
  agent.start();
  for (;;) {
    const status = await agent.syncNow();
    if (status.state === 'idle' && (await store.backlog()).total === 0) break;
    if (status.state === 'unauthorized' || status.state === 'not-provisioned') throw new Error(`sync failed: ${status.lastError}`);
  }
  const seconds = (performance.now() - began) / 1000;
  clearInterval(sampler);
  peak.rss = Math.max(peak.rss, process.memoryUsage().rss);
  const sent = agent.status().sent;
  await agent.stop();
  await store.close();
  process.stdout.write(`${JSON.stringify({ records: total, sent: sent.records, seconds, bytes: sent.bytes, idleRssMb: idleRss / 1e6, peakRssMb: peak.rss / 1e6 })}\n`);
  process.exit(0);
}
