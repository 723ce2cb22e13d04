/**
 * Domain events across processes through PostgreSQL LISTEN/NOTIFY: a bus hears
 * what another bus on the same schema publishes (and its own), never a bus on
 * another schema's; a batch too big for one NOTIFY goes as several, losing no
 * reading.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { pino } from 'pino';
import { systemClock } from '../clock.js';
import { announceSkip, freshPostgresSchema } from '../storage/test-support/postgres.js';
import type { DomainEvent, ReadingsIngested } from './domain-events.js';
import type { EventBus } from './event-bus.js';
import { payloads, pgEventBus } from './pg-event-bus.js';

const silent = pino({ level: 'silent' });

function heard(bus: EventBus): { events: DomainEvent[]; next: (match: (e: DomainEvent) => boolean) => Promise<DomainEvent> } {
  const events: DomainEvent[] = [];
  const waiters = new Set<() => void>();
  bus.subscribe((event) => {
    events.push(event);
    for (const wake of [...waiters]) wake();
  });
  return {
    events,
    next: (match) =>
      new Promise((resolve, reject) => {
        const check = () => {
          const found = events.find(match);
          if (found === undefined) return;
          waiters.delete(check);
          clearTimeout(timer);
          resolve(found);
        };
        const timer = setTimeout(() => reject(new Error(`not heard within 5 s; heard ${events.map((e) => e.type).join(', ')}`)), 5_000);
        waiters.add(check);
        check();
      }),
  };
}

describe('domain events over PostgreSQL LISTEN/NOTIFY', () => {
  it('splits a batch too big for one NOTIFY, keeping every reading; refuses what cannot fit', () => {
    const readings = Array.from({ length: 300 }, (_, i) => ({ sensorId: `gw:sensor-${i}`, at: i, value: i, unit: '%', quality: 'ok' }));
    const event: ReadingsIngested = { type: 'readings.ingested', userId: 'u', gatewayId: 'gw', stored: 300, readings };
    const parts = payloads(event).map((text) => ({ bytes: Buffer.byteLength(text), event: JSON.parse(text) as ReadingsIngested }));
    assert.ok(parts.length > 1);
    for (const part of parts) assert.ok(part.bytes <= 7_500, `${part.bytes} bytes`);
    assert.deepEqual(parts.flatMap((p) => p.event.readings), readings);
    assert.equal(parts.reduce((sum, p) => sum + p.event.stored, 0), 300, 'the count is told once');
    const huge = { type: 'event.raised', userId: 'u', gatewayId: 'gw', event: { type: 'gas', sensorId: null, state: null, severity: 'critical', message: 'x'.repeat(9_000), at: 0 } } as const;
    assert.deepEqual(payloads(huge), []);
  });

  it('reaches every bus on the same schema, the publisher’s own included, and none on another schema', async (t) => {
    const [one, other] = await Promise.all([freshPostgresSchema(), freshPostgresSchema()]);
    if (!one.ok || !other.ok) {
      announceSkip('domain events on PostgreSQL', one.ok ? (other.ok ? '' : other.reason) : one.reason);
      return t.skip('PostgreSQL unreachable');
    }
    const clock = systemClock();
    const a = pgEventBus(one.fresh.url, one.fresh.schema, clock, silent);
    const b = pgEventBus(one.fresh.url, one.fresh.schema, clock, silent);
    const elsewhere = pgEventBus(other.fresh.url, other.fresh.schema, clock, silent);
    try {
      await Promise.all([a.ready(), b.ready(), elsewhere.ready()]);
      const [hearsA, hearsB, hearsElsewhere] = [heard(a), heard(b), heard(elsewhere)];
      a.publish({ type: 'presence.changed', userId: 'u1', gatewayId: 'g1', presence: 'offline', at: 1 });
      await hearsB.next((e) => e.type === 'presence.changed');
      await hearsA.next((e) => e.type === 'presence.changed');
      elsewhere.publish({ type: 'access.revoked', userId: 'u2' });
      await hearsElsewhere.next((e) => e.type === 'access.revoked');
      assert.deepEqual(hearsA.events.map((e) => e.type), ['presence.changed']);
      assert.deepEqual(hearsElsewhere.events.map((e) => e.type), ['access.revoked']);
    } finally {
      await Promise.all([a.close(), b.close(), elsewhere.close()]);
      await Promise.all([one.fresh.drop(), other.fresh.drop()]);
    }
  });
});
