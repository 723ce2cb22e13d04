/**
 * A neighbourhood's gas alarms at once: N households, each with its own gateway and
 * the dashboard open (a live socket subscribed to readings and notifications), and
 * every gateway posting a gas alarm in the same instant through the real ingest
 * path. Timed from each POST's start until that owner's socket carries the
 * notification (the inbox row is committed before it is published). The baseline,
 * in the same run and over the same sockets, is the same burst of plain level
 * readings, timed until the socket carries the reading: what an alarm adds on top
 * of ingest (the notification, its deliveries, the active alert) is the ratio.
 */
import { LiveClient } from '../../cloud-sync/server/modules/live/test-support/live-client.js';
import { cloudTargets, provision, startCloudProcess, timedRequest, type CloudProcess, type CloudTarget } from './cloud-fixtures.js';
import { percentile, type Bench, type BenchContext, type Figure } from './harness.js';

interface Household {
  readonly token: string;
  readonly gatewayId: string;
  readonly credential: string;
  readonly socket: LiveClient;
}

const SETUP_CONCURRENCY = 16;
const ARRIVAL_TIMEOUT_MS = 60_000;
const MAX_ATTEMPTS = 5;
/** The cloud's Retry-After on EASYGAS_DB_UNAVAILABLE (error-handler.ts). */
const RETRY_AFTER_MS = 1_000;

/** Runs `fn` over 0..count-1 with `concurrency` in flight. */
async function pool<T>(count: number, concurrency: number, fn: (i: number) => Promise<T>): Promise<T[]> {
  const out: T[] = new Array<T>(count);
  let next = 0;
  await Promise.all(
    Array.from({ length: Math.min(concurrency, count) }, async () => {
      while (next < count) {
        const i = next++;
        out[i] = await fn(i);
      }
    }),
  );
  return out;
}

async function households(url: string, count: number): Promise<Household[]> {
  return pool(count, SETUP_CONCURRENCY, async () => {
    const user = await provision(url, 1);
    const gateway = user.gateways[0];
    if (gateway === undefined) throw new Error('provisioning gave no gateway');
    const socket = await LiveClient.signedIn(url, user.token, ['readings', 'notifications']);
    return { token: user.token, gatewayId: gateway.gatewayId, credential: gateway.credential, socket };
  });
}

type Matcher = (m: Record<string, unknown>) => boolean;

/** Every household posts its record at once; answers each one's ms from POST to the matching socket message. */
async function burst(
  url: string,
  homes: readonly Household[],
  record: (seq: number) => object,
  seq: number,
  arrived: (at: number) => Matcher,
  retried: { count: number },
): Promise<number[]> {
  const at = Date.now();
  const settled = await Promise.allSettled(
    homes.map(async (home) => {
      const began = performance.now();
      const seen = home.socket.next(arrived(at), ARRIVAL_TIMEOUT_MS);
      seen.catch(() => undefined); // awaited below; a failed POST must not leave it unhandled
      const body = JSON.stringify({ afterSeq: seq - 1, lastSeq: seq, records: [{ ...record(seq), at }] });
      // As a gateway does: a 503 (the database busy under the burst) is retried after its Retry-After, and the wait counts.
      for (let attempt = 1; ; attempt++) {
        const answer = await timedRequest(url, 'POST', '/api/sensors/data', { token: home.credential, body });
        if (answer.status < 300) break;
        if (answer.status !== 503 || attempt === MAX_ATTEMPTS) throw new Error(`POST /api/sensors/data → ${answer.status} ${answer.text.slice(0, 200)}`);
        retried.count++;
        await new Promise((resolve) => setTimeout(resolve, RETRY_AFTER_MS));
      }
      await seen;
      return performance.now() - began;
    }),
  );
  const failed = settled.filter((r): r is PromiseRejectedResult => r.status === 'rejected');
  if (failed.length > 0) throw new Error(`${failed.length} of ${homes.length} households failed; the first: ${String(failed[0]?.reason)}`);
  return settled.map((r) => (r as PromiseFulfilledResult<number>).value);
}

const levelReading = (seq: number) => ({ record: 'reading', seq, sensorId: 'lpg', sensorKind: 'level', value: 62, unit: '%', percent: 62, quality: 'ok', clockSynced: true });
const gasAlarm = (seq: number) => ({
  record: 'event', seq, type: 'gas', sensorId: 'kitchen-gas', state: 'raised', severity: 'critical', severe: true,
  value: 31, unit: '%LEL', threshold: 25, message: 'Gas at 31 %LEL', clockSynced: true,
});
const readingArrived = (at: number): Matcher => (m) =>
  m.topic === 'readings' && ((m.event as { readings?: { at: number }[] } | undefined)?.readings ?? []).some((r) => r.at === at);
const alarmArrived = (): Matcher => (m) => m.topic === 'notifications' && (m.event as { notification?: { type?: string } } | undefined)?.notification?.type === 'gas';

async function measure(target: CloudTarget, count: number, context: BenchContext): Promise<Figure[]> {
  const cloud: CloudProcess = await startCloudProcess(target.db, target.pgSchema);
  let homes: Household[] = [];
  try {
    const setupStarted = performance.now();
    homes = await households(cloud.url, count);
    context.log(`${target.label}: ${count} households provisioned with live sockets in ${((performance.now() - setupStarted) / 1000).toFixed(1)} s`);
    await burst(cloud.url, homes, levelReading, 1, readingArrived, { count: 0 }); // warm-up: first ingest per gateway opens its session
    const readingRetries = { count: 0 };
    const readings = await burst(cloud.url, homes, levelReading, 2, readingArrived, readingRetries);
    const alarmRetries = { count: 0 };
    const alarms = await burst(cloud.url, homes, gasAlarm, 3, alarmArrived, alarmRetries);
    const baselineName = `the same burst of ${count} level readings, POST → the owner's socket`;
    const note =
      `${target.label}; ${count} households, one gateway and one live socket each, all posting at once; ` +
      `503-and-retry ${alarmRetries.count} alarm / ${readingRetries.count} reading POSTs`;
    return [50, 95, 99].map((p) => ({
      name: `gas alarm burst → inbox p${p}, ${target.label}`,
      value: percentile(alarms, p),
      unit: 'ms',
      baseline: percentile(readings, p),
      baselineName,
      // Issue 18: an alarm reaches the owner within 5 s of ingest, even when a whole street alarms at once.
      ...(p === 99 ? { target: { on: 'value' as const, op: '<' as const, limit: 5_000 } } : {}),
      note,
    }));
  } finally {
    for (const home of homes) home.socket.close();
    await cloud.stop();
  }
}

export const alarmBurstBench: Bench = {
  name: 'alarm-burst',
  description: '1,000 households’ gas alarms posted at once through real ingest → each owner’s inbox (live socket), beside the same burst of plain readings',
  async run(context) {
    const count = context.quick ? 20 : 1_000;
    const figures: Figure[] = [];
    for (const target of await cloudTargets(context, 'alarm-burst.db')) {
      try {
        figures.push(...(await measure(target, count, context)));
      } finally {
        await target.cleanup();
      }
    }
    return figures;
  },
};
