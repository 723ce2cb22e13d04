/**
 * Notification emails per second through the whole delivery path: notifications
 * committed with their deliveries (SQLite file), then the outbox worker claiming
 * rows, sending each through the email channel into the SMTP sink and logging the
 * attempt, 8 rows in flight (the worker's default concurrency).
 */
import { randomUUID } from 'node:crypto';
import { join } from 'node:path';
import { build } from '../../cloud-sync/server/app.js';
import { createChannels, loadChannelSettings } from '../../cloud-sync/server/modules/notifications/channels/index.js';
import { createEmailChannel } from '../../cloud-sync/server/modules/notifications/channels/email/email-channel.js';
import type { SmtpSettings } from '../../cloud-sync/server/modules/notifications/channels/settings.js';
import type { SmtpSink } from '../../cloud-sync/server/modules/notifications/channels/test-support/smtp-sink.js';

export interface OutboxRate {
  readonly perSecond: number;
  readonly count: number;
}

/** Commits `count` gas alarms for `users` users (one verified email each), then times the drain until the sink has them all. */
export async function measureOutboxRate(sink: SmtpSink, settings: SmtpSettings, tmpDir: string, count: number, users: number): Promise<OutboxRate> {
  const base = createChannels(loadChannelSettings({ env: {} }), { now: Date.now });
  const email = createEmailChannel(settings, { maxConnections: 3 });
  const app = await build({ db: join(tmpDir, `outbox-${randomUUID()}.db`), channels: { ...base, email, close: () => Promise.resolve() }, sweeper: false, retention: false, outbox: { run: false } });
  try {
    const repo = app.cloud.repo;
    const now = Date.now();
    const ids: string[] = [];
    for (let u = 0; u < users; u++) {
      const id = randomUUID();
      await repo.users.create({ id, email: `owner${u}@home.example`, passwordHash: 'x', name: `Owner ${u}`, role: 'customer' }, now);
      await repo.addresses.add(id, { kind: 'email', target: `owner${u}@home.example`, secret: null, verifiedAt: now, verifyTokenHash: null, verifyExpiresAt: null }, now);
      ids.push(id);
    }
    for (let i = 0; i < count; i++) {
      const draft = { type: 'gas', severity: 'critical' as const, title: `Kitchen ${i}: gas alarm`, message: 'Gas at 31 %LEL', channels: ['email' as const], sensorId: null, ruleId: null, eventAt: now };
      await repo.notifications.create(ids[i % users] ?? '', null, draft, now);
    }
    const before = sink.mails.items.length;
    const started = performance.now();
    await app.cloud.outbox.drain();
    const elapsed = performance.now() - started;
    const got = sink.mails.items.length - before;
    if (got !== count) throw new Error(`the sink got ${got} alarms through the outbox, expected ${count}`);
    return { perSecond: (count * 1000) / elapsed, count };
  } finally {
    await app.close();
    await Promise.all([base.close(), email.close()]);
  }
}
