/** Builders the repository contract tests share: users, claimed gateways, batches. */
import { randomUUID } from 'node:crypto';
import type { EventRecord, IngestBatch, ReadingRecord } from '../../../protocol/index.js';
import type { Repository } from '../repository.js';
import type { Gateway, NotificationPolicy, User } from '../types.js';

export const T0 = Date.UTC(2026, 0, 15, 12, 0, 0);

export async function seedUser(repo: Repository, now = T0): Promise<User> {
  const id = randomUUID();
  const user = await repo.users.create({ id, email: `${id}@example.com`, passwordHash: 'scrypt$x', name: 'Test User', role: 'customer' }, now);
  if (user === 'email_taken') throw new Error('unexpected email clash');
  return user;
}

export async function seedGateway(repo: Repository, user: User, now = T0): Promise<Gateway & { credentialHash: string }> {
  const codeHash = `code-${randomUUID()}`;
  await repo.tokens.addClaimCode({ codeHash, userId: user.id, expiresAt: now + 900_000 }, now);
  const credentialHash = `cred-${randomUUID()}`;
  const gateway = await repo.gateways.registerWithClaimCode(codeHash, { id: randomUUID(), fallbackId: randomUUID(), name: 'Kitchen Pi', version: '0.1.0', credentialHash }, now);
  if (gateway === undefined) throw new Error('claim failed');
  return { ...gateway, credentialHash };
}

export function reading(seq: number, overrides: Partial<ReadingRecord> = {}): ReadingRecord {
  return {
    record: 'reading',
    seq,
    sensorId: 'lpg',
    sensorKind: 'level',
    at: T0 + seq * 60_000,
    value: 50,
    unit: '%',
    percent: 50,
    litres: 10,
    quality: 'ok',
    clockSynced: true,
    ...overrides,
  };
}

export function event(seq: number, overrides: Partial<EventRecord> = {}): EventRecord {
  return {
    record: 'event',
    seq,
    at: T0 + seq * 60_000,
    type: 'gas',
    sensorId: 'kitchen-gas',
    state: 'raised',
    severity: 'critical',
    severe: false,
    value: 12,
    unit: '%LEL',
    message: 'Gas at 12 %LEL',
    clockSynced: true,
    ...overrides,
  };
}

export function batch(afterSeq: number, lastSeq: number, records: IngestBatch['records']): IngestBatch {
  return { afterSeq, lastSeq, records };
}

/** Notifies on every raised event, by push, so tests can count notifications. */
export const notifyRaised: NotificationPolicy = (event, context) =>
  event.state === 'raised'
    ? {
        type: event.type,
        severity: event.severity,
        title: `${context.gateway.name}: ${event.type}`,
        message: event.message,
        channels: ['push'],
        sensorId: event.sensorId ?? null,
        ruleId: null,
        eventAt: event.at,
      }
    : undefined;

export const notifyNothing: NotificationPolicy = () => undefined;
