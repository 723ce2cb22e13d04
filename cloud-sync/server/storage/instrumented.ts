/**
 * Wraps every repository method to time it into the db latency histogram and count
 * failures, without either implementation knowing about metrics.
 */
import type { CloudMetrics } from '../metrics.js';
import type { Repository } from './repository.js';

type AnyAsync = (...args: never[]) => Promise<unknown>;

function timed<T extends object>(group: string, target: T, metrics: CloudMetrics): T {
  const wrapped: Record<string, unknown> = {};
  for (const [name, member] of Object.entries(target)) {
    if (typeof member !== 'function') continue;
    const operation = `${group}.${name}`;
    const fn = member as AnyAsync;
    wrapped[name] = async (...args: never[]): Promise<unknown> => {
      const start = performance.now();
      try {
        return await fn.apply(target, args);
      } catch (error) {
        metrics.dbErrors.inc({ operation });
        throw error;
      } finally {
        metrics.dbDuration.observe({ operation }, (performance.now() - start) / 1000);
      }
    };
  }
  return wrapped as T;
}

export function instrumentRepository(repo: Repository, metrics: CloudMetrics): Repository {
  const db = timed('db', { ping: () => repo.ping() }, metrics);
  return {
    dialect: repo.dialect,
    users: timed('users', repo.users, metrics),
    tokens: timed('tokens', repo.tokens, metrics),
    gateways: timed('gateways', repo.gateways, metrics),
    ingest: timed('ingest', repo.ingest, metrics),
    readings: timed('readings', repo.readings, metrics),
    alerts: timed('alerts', repo.alerts, metrics),
    notifications: timed('notifications', repo.notifications, metrics),
    settings: timed('settings', repo.settings, metrics),
    ping: db.ping,
    close: () => repo.close(),
  };
}
