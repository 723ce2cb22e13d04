/**
 * One cloud API process for the multi-process tests (a replica behind a load
 * balancer): argv[2] is JSON { db, pgSchema, receiver, hang?, leaseMs, pollMs,
 * sweepIntervalMs }. Its notifier POSTs each delivery to the receiver, so the test
 * counts deliveries across processes; with `hang` it never finishes one (a process
 * stuck holding outbox rows, to be killed). Prints one JSON line { url, pid } when
 * listening; exits on SIGTERM.
 */
import { build } from '../../app.js';
import type { Notifier } from '../../services/notifier.js';

interface ReplicaConfig {
  readonly db: string;
  readonly pgSchema: string;
  readonly receiver: string;
  readonly hang?: boolean;
  readonly leaseMs: number;
  readonly pollMs: number;
  readonly sweepIntervalMs: number;
}

const config = JSON.parse(process.argv[2] ?? '{}') as ReplicaConfig;
const notifier: Notifier = {
  async deliver(n) {
    if (config.hang === true) return new Promise<void>(() => undefined);
    const response = await fetch(config.receiver, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ id: n.id, pid: process.pid }) });
    if (!response.ok) throw new Error(`receiver answered ${response.status}`);
  },
};
const noLimit = { max: 1_000_000_000, windowMs: 60_000 };
const app = await build({
  db: config.db,
  pgSchema: config.pgSchema,
  notifier,
  ingestRateLimit: noLimit,
  authRateLimit: noLimit,
  passwordCost: { N: 1024, r: 8, p: 1 },
  retention: false,
  sweepIntervalMs: config.sweepIntervalMs,
  outbox: { leaseMs: config.leaseMs, pollMs: config.pollMs },
});
const url = await app.listen({ port: 0, host: '127.0.0.1' });
process.stdout.write(`${JSON.stringify({ url, pid: process.pid })}\n`);
process.on('SIGTERM', () => {
  app.close().then(
    () => process.exit(0),
    () => process.exit(1),
  );
});
