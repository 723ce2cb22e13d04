/**
 * Ingest → WebSocket latency: a level reading POSTed to one API process until a
 * live socket held on another process (same PostgreSQL, LISTEN/NOTIFY) receives
 * it; on SQLite (no PostgreSQL here), one process. The baseline is what the
 * dashboard did before the socket: poll every 10 s, so a change waits half the
 * interval on average (the poll's GET measured in this run is added).
 */
import { LiveClient } from '../../cloud-sync/server/modules/live/test-support/live-client.js';
import { http, startReplica, userWithGateway, type Replica } from '../../cloud-sync/server/e2e/test-support/replicas.js';
import { freshPostgresSchema } from '../../cloud-sync/server/storage/test-support/postgres.js';
import { join } from 'node:path';
import { percentile, type Bench, type BenchContext, type Figure } from './harness.js';

/** The dashboard's poll interval before live push (cloud-sync/web/src/main.tsx). */
const DASHBOARD_POLL_MS = 10_000;

async function replicas(context: BenchContext): Promise<{ readonly label: string; readonly started: Replica[]; cleanup(): Promise<void> }> {
  const base = { receiver: 'http://127.0.0.1:9/unused', leaseMs: 60_000, pollMs: 5_000, sweepIntervalMs: 30_000 };
  const got = await freshPostgresSchema().catch((error: unknown) => ({ ok: false as const, reason: String(error) }));
  if (got.ok) {
    const config = { ...base, db: got.fresh.url, pgSchema: got.fresh.schema };
    const started = [await startReplica(config), await startReplica(config)];
    return { label: 'PostgreSQL, ingest through one process, socket on another', started, cleanup: () => got.fresh.drop() };
  }
  context.log(`PostgreSQL skipped: ${got.reason}`);
  const started = [await startReplica({ ...base, db: join(context.tmpDir, 'live.db'), pgSchema: undefined })];
  return { label: 'SQLite, one process', started, cleanup: () => Promise.resolve() };
}

export const livePushBench: Bench = {
  name: 'live-push',
  description: 'a reading ingested through the API → the owner’s live WebSocket (across API processes on PostgreSQL), against 10 s polling',
  async run(context) {
    const samples = context.quick ? 10 : 200;
    const target = await replicas(context);
    try {
      const [ingestVia, socketOn = ingestVia] = target.started as [Replica, Replica?];
      if (ingestVia === undefined) throw new Error('no API process');
      const user = await userWithGateway(ingestVia.url);
      const socket = await LiveClient.signedIn(socketOn.url, user.token, ['readings']);
      const push: number[] = [];
      const poll: number[] = [];
      for (let seq = 1; seq <= samples; seq++) {
        const value = seq % 100;
        const began = performance.now();
        const reading = { record: 'reading', seq, sensorId: 'lpg', sensorKind: 'level', at: Date.now(), value, unit: '%', percent: value, quality: 'ok', clockSynced: true };
        await http(ingestVia.url, 'POST', '/api/sensors/data', { token: user.credential, body: { afterSeq: seq - 1, lastSeq: seq, records: [reading] } });
        await socket.next((m) => (m.event as { readings?: { at: number }[] } | undefined)?.readings?.[0]?.at === reading.at, 5_000);
        push.push(performance.now() - began);
        const polled = performance.now();
        await http(socketOn.url, 'GET', `/api/sensors/${user.gatewayId}:lpg/latest`, { token: user.token });
        poll.push(performance.now() - polled);
      }
      socket.close();
      const baselineName = `dashboard polling every ${DASHBOARD_POLL_MS / 1000} s (half the interval + the GET, measured)`;
      const note = `${target.label}; ${samples} readings`;
      const figures: Figure[] = [
        { name: 'live push latency p50', value: percentile(push, 50), unit: 'ms', baseline: DASHBOARD_POLL_MS / 2 + percentile(poll, 50), baselineName, note },
        {
          name: 'live push latency p99',
          value: percentile(push, 99),
          unit: 'ms',
          baseline: DASHBOARD_POLL_MS + percentile(poll, 99),
          baselineName: `dashboard polling every ${DASHBOARD_POLL_MS / 1000} s (the whole interval + the GET, measured)`,
          target: { on: 'value', op: '<', limit: 1_000 },
          note,
        },
      ];
      return figures;
    } finally {
      await Promise.all(target.started.map((r) => r.stop()));
      await target.cleanup();
    }
  },
};
