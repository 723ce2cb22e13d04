/**
 * Wraps every repository method to time it into the db latency histogram and count
 * failures, without either implementation knowing about metrics.
 */
import type { CloudMetrics } from '../metrics.js';
import type { Repositories, Repository } from './repository.js';

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

function instrumentGroups(repo: Repositories, metrics: CloudMetrics): Repositories {
  return {
    users: timed('users', repo.users, metrics),
    tokens: timed('tokens', repo.tokens, metrics),
    gateways: timed('gateways', repo.gateways, metrics),
    ingest: timed('ingest', repo.ingest, metrics),
    readings: timed('readings', repo.readings, metrics),
    alerts: timed('alerts', repo.alerts, metrics),
    notifications: timed('notifications', repo.notifications, metrics),
    settings: timed('settings', repo.settings, metrics),
    retention: timed('retention', repo.retention, metrics),
    outbox: timed('outbox', repo.outbox, metrics),
    jobs: timed('jobs', repo.jobs, metrics),
    tanks: timed('tanks', repo.tanks, metrics),
    tankForecasts: timed('tankForecasts', repo.tankForecasts, metrics),
    tankDevices: timed('tankDevices', repo.tankDevices, metrics),
    suppliers: timed('suppliers', repo.suppliers, metrics),
    orders: timed('orders', repo.orders, metrics),
    addresses: timed('addresses', repo.addresses, metrics),
    deliveries: timed('deliveries', repo.deliveries, metrics),
    activeAlerts: timed('activeAlerts', repo.activeAlerts, metrics),
    passwordResets: timed('passwordResets', repo.passwordResets, metrics),
  };
}

export function instrumentRepository(repo: Repository, metrics: CloudMetrics): Repository {
  const db = timed('db', { ping: () => repo.ping(), transaction: (fn: (tx: Repositories) => Promise<unknown>) => repo.transaction(fn) }, metrics);
  return {
    dialect: repo.dialect,
    ...instrumentGroups(repo, metrics),
    transaction: (fn) => db.transaction((tx) => fn(instrumentGroups(tx, metrics))) as ReturnType<typeof fn>,
    ping: db.ping,
    close: () => repo.close(),
  };
}
