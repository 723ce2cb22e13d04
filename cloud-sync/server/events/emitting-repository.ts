/**
 * Domain events at the one place every change commits: the repository. Each write
 * that means something to a user (a batch ingested, an event raised, a notification
 * created, a gateway's presence changed, every session ended, an order changed — told
 * to its customer and its supplier) publishes its events
 * once the write has committed: at once for a call on its own, after the commit for
 * calls inside `transaction` (and never when it rolls back). Routes and services
 * stay as they are; whatever they call through this repository is told.
 */
import type { IngestBatch, ReadingRecord } from '../../protocol/index.js';
import type { HeartbeatOutcome, IngestOutcome, PresenceChange, Repositories, Repository } from '../storage/repository.js';
import { cloudSensorId } from '../storage/sensor-ids.js';
import type { OrderDetail } from '../storage/order-types.js';
import type { Notification } from '../storage/types.js';
import type { DomainEvent, LiveReading } from './domain-events.js';
import type { EventBus } from './event-bus.js';

type Emit = (event: DomainEvent) => void;

function liveReading(gatewayId: string, r: ReadingRecord): LiveReading {
  return {
    sensorId: cloudSensorId(gatewayId, r.sensorId),
    at: r.at,
    value: r.value,
    unit: r.unit,
    quality: r.quality,
    ...(r.percent === undefined ? {} : { percent: r.percent }),
    ...(r.litres === undefined ? {} : { litres: r.litres }),
  };
}

/** The events of one ingested batch: the newest reading per sensor, each fresh event, each notification. */
export function ingestEvents(gatewayId: string, batch: IngestBatch, outcome: IngestOutcome): DomainEvent[] {
  const events: DomainEvent[] = [];
  if (outcome.readingsStored > 0) {
    const newest = new Map<string, ReadingRecord>();
    for (const r of batch.records) {
      if (r.record !== 'reading') continue;
      const seen = newest.get(r.sensorId);
      if (seen === undefined || seen.at <= r.at) newest.set(r.sensorId, r);
    }
    const readings = [...newest.values()].map((r) => liveReading(gatewayId, r));
    events.push({ type: 'readings.ingested', userId: outcome.userId, gatewayId, stored: outcome.readingsStored, readings });
  }
  for (const e of outcome.freshEvents) {
    events.push({
      type: 'event.raised',
      userId: outcome.userId,
      gatewayId,
      event: {
        type: e.type,
        sensorId: e.sensorId === undefined ? null : cloudSensorId(gatewayId, e.sensorId),
        state: e.state ?? null,
        severity: e.severity,
        message: e.message,
        at: e.at,
      },
    });
  }
  return [...events, ...notificationEvents(outcome.notifications)];
}

function notificationEvents(notifications: readonly Notification[]): DomainEvent[] {
  return notifications.map((notification) => ({ type: 'notification.created', userId: notification.userId, notification }));
}

function presenceEvents(change: PresenceChange, at: number): DomainEvent[] {
  return [{ type: 'presence.changed', userId: change.userId, gatewayId: change.gatewayId, presence: change.presence, at }, ...notificationEvents(change.notifications)];
}

/** The change told to the customer and to the supplier's account (read through `repo`, so inside a transaction it sees the same snapshot). */
async function orderEvents(repo: Repositories, order: OrderDetail): Promise<DomainEvent[]> {
  const last = order.history.at(-1);
  const change = { id: order.id, number: order.number, tankId: order.tankId, status: order.status, action: last?.action ?? 'place', at: last?.at ?? order.updatedAt };
  const supplier = await repo.suppliers.get(order.supplierId);
  return [
    { type: 'order.changed', userId: order.userId, party: 'customer', order: change },
    ...(supplier === undefined ? [] : [{ type: 'order.changed', userId: supplier.userId, party: 'supplier', order: change } as const]),
  ];
}

function emitting(repo: Repositories, emit: Emit): Repositories {
  const after = <T>(result: T, events: readonly DomainEvent[] | ((value: T) => readonly DomainEvent[])): T => {
    for (const event of typeof events === 'function' ? events(result) : events) emit(event);
    return result;
  };
  return {
    ...repo,
    ingest: {
      ingest: async (gatewayId, batch, now, policy, options) => after(await repo.ingest.ingest(gatewayId, batch, now, policy, options), (o) => ingestEvents(gatewayId, batch, o)),
    },
    gateways: {
      ...repo.gateways,
      heartbeat: async (id, heartbeat, now, policy) =>
        after<HeartbeatOutcome>(await repo.gateways.heartbeat(id, heartbeat, now, policy), (o) => (o.cameOnline === undefined ? [] : presenceEvents(o.cameOnline, now))),
      markOffline: async (seenBefore, now, policy) =>
        after(await repo.gateways.markOffline(seenBefore, now, policy), (changes) => changes.flatMap((c) => presenceEvents(c, now))),
    },
    notifications: {
      ...repo.notifications,
      create: async (userId, gatewayId, draft, now, options) => after(await repo.notifications.create(userId, gatewayId, draft, now, options), (n) => notificationEvents([n])),
    },
    orders: {
      ...repo.orders,
      place: async (order, now) => {
        const placed = await repo.orders.place(order, now);
        return after(placed, typeof placed === 'object' ? await orderEvents(repo, placed) : () => []);
      },
      transition: async (scope, id, change, now) => {
        const outcome = await repo.orders.transition(scope, id, change, now);
        return after(outcome, outcome.kind === 'done' ? await orderEvents(repo, outcome.order) : () => []);
      },
    },
    users: {
      ...repo.users,
      changePassword: async (id, passwordHash, now) => after(await repo.users.changePassword(id, passwordHash, now), () => [{ type: 'access.revoked', userId: id }]),
    },
  };
}

export function emittingRepository(repo: Repository, bus: EventBus): Repository {
  const publish: Emit = (event) => bus.publish(event);
  return {
    ...repo,
    ...emitting(repo, publish),
    async transaction(fn) {
      const held: DomainEvent[] = [];
      const result = await repo.transaction((tx) => fn(emitting(tx, (event) => held.push(event))));
      for (const event of held) publish(event);
      return result;
    },
  };
}
