/**
 * The cloud API in its own process for the cloud benchmarks, so the load generator
 * does not share the server's event loop. argv[2] is JSON { db, pgSchema? }; prints
 * one JSON line { url } when listening; exits on SIGTERM or when stdin closes.
 */
import { pino } from 'pino';
import { runCloud } from '../../cloud-sync/server/main.js';

const config = JSON.parse(process.argv[2] ?? '{}') as { db: string; pgSchema?: string };
const unlimited = { max: 1_000_000_000, windowMs: 60_000 };
const cloud = await runCloud({
  port: 0,
  db: config.db,
  logger: pino({ level: 'silent' }),
  print: () => undefined,
  overrides: {
    ...(config.pgSchema === undefined ? {} : { pgSchema: config.pgSchema }),
    ingestRateLimit: unlimited,
    authRateLimit: unlimited,
    passwordCost: { N: 1024, r: 8, p: 1 },
    sweeper: false,
    retention: false,
    // Loading a year of readings on a busy machine can outlast the default 15 minutes.
    accessTokenTtlMs: 24 * 3_600_000,
  },
});
process.stdout.write(`${JSON.stringify({ url: cloud.url })}\n`);

const stop = (): void => {
  cloud.close().then(
    () => process.exit(0),
    () => process.exit(1),
  );
};
process.on('SIGTERM', stop);
process.stdin.on('end', stop);
process.stdin.resume();
