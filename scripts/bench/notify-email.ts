/**
 * Notification emails per second through the email channel (render text + HTML,
 * headers, outcome mapping, nodemailer's pooled SMTP) into a real SMTP sink on
 * loopback, beside raw nodemailer sends of the same, pre-rendered messages over the
 * same transport options and concurrency, in the same run; and the same alarms
 * through the whole delivery path (committed with their deliveries, sent by the
 * outbox worker, each attempt logged: notify-outbox.ts).
 */
import { createTransport } from 'nodemailer';
import type { NotificationMessage } from '../../cloud-sync/server/modules/notifications/channels/message.js';
import { composeMail, createEmailChannel, smtpTransportOptions } from '../../cloud-sync/server/modules/notifications/channels/email/email-channel.js';
import { renderEmail } from '../../cloud-sync/server/modules/notifications/channels/email/email-templates.js';
import type { SmtpSettings } from '../../cloud-sync/server/modules/notifications/channels/settings.js';
import { gasAlarm, lowLevelWarning } from '../../cloud-sync/server/modules/notifications/channels/test-support/messages.js';
import { startSmtpSink, type SmtpSink } from '../../cloud-sync/server/modules/notifications/channels/test-support/smtp-sink.js';
import type { Bench, BenchContext, Figure } from './harness.js';
import { measureOutboxRate } from './notify-outbox.js';

export interface EmailRates {
  /** Messages per second through the outbox worker (commit, claim, send, log). */
  readonly outbox: number;
  /** Messages per second through the channel. */
  readonly channel: number;
  /** Messages per second through raw nodemailer sendMail. */
  readonly raw: number;
  readonly count: number;
}

const CONNECTIONS = 3;
const CONCURRENCY = 12;

function messages(count: number): NotificationMessage[] {
  return Array.from({ length: count }, (_, i) =>
    i % 2 === 0 ? gasAlarm({ id: `bench-${i}`, topicKey: `gw:s${i % 50}:gas` }) : lowLevelWarning({ id: `bench-${i}`, topicKey: `gw:l${i % 50}:low_level` }),
  );
}

/** Runs `send` over every item with `concurrency` in flight; answers the elapsed ms. */
async function timed<T>(items: readonly T[], send: (item: T, index: number) => Promise<void>): Promise<number> {
  let next = 0;
  const started = performance.now();
  await Promise.all(
    Array.from({ length: CONCURRENCY }, async () => {
      while (next < items.length) {
        const index = next++;
        await send(items[index] as T, index);
      }
    }),
  );
  return performance.now() - started;
}

async function throughChannel(settings: SmtpSettings, batch: readonly NotificationMessage[]): Promise<number> {
  const channel = createEmailChannel(settings, { maxConnections: CONNECTIONS });
  try {
    await channel.send(gasAlarm({ id: 'warm-channel' }), { email: 'warm@home.example' });
    return await timed(batch, async (message, i) => {
      const outcome = await channel.send(message, { email: `user${i}@home.example`, name: `User ${i}` });
      if (outcome.status !== 'delivered') throw new Error(`channel send failed: ${JSON.stringify(outcome)}`);
    });
  } finally {
    await channel.close();
  }
}

async function throughRawNodemailer(settings: SmtpSettings, batch: readonly NotificationMessage[]): Promise<number> {
  const transport = createTransport(smtpTransportOptions(settings, { maxConnections: CONNECTIONS }));
  // The same messages, composed before the clock starts: the baseline is nodemailer's own cost.
  const composed = batch.map((m, i) => composeMail(settings, m, renderEmail(m), { email: `user${i}@home.example`, name: `User ${i}` }));
  try {
    await transport.sendMail({ from: settings.fromAddress, to: 'warm@home.example', subject: 'warm', text: 'warm' });
    return await timed(composed, async (mail) => {
      await transport.sendMail(mail);
    });
  } finally {
    transport.close();
  }
}

function median(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1 ? (sorted[mid] ?? 0) : ((sorted[mid - 1] ?? 0) + (sorted[mid] ?? 0)) / 2;
}

/**
 * Sends `count` messages each way per round, alternating channel and raw for
 * `rounds` rounds (so a load swing on a shared machine hits both), and answers
 * the median rate of each.
 */
export async function measureEmailRates(count: number, rounds: number, tmpDir: string): Promise<EmailRates> {
  const sink: SmtpSink = await startSmtpSink({ parse: false });
  const settings: SmtpSettings = { host: sink.host, port: sink.port, secure: false, requireTls: false, fromName: 'EasyGas', fromAddress: 'alerts@easygas.example' };
  const batch = messages(count);
  try {
    const channel: number[] = [];
    const raw: number[] = [];
    const outbox: number[] = [];
    for (let round = 0; round < rounds; round++) {
      channel.push((count * 1000) / (await throughChannel(settings, batch)));
      raw.push((count * 1000) / (await throughRawNodemailer(settings, batch)));
      outbox.push((await measureOutboxRate(sink, settings, tmpDir, count, Math.min(count, 1_000))).perSecond);
    }
    const expected = 2 * rounds * (count + 1) + rounds * count;
    if (sink.mails.items.length !== expected) throw new Error(`the sink got ${sink.mails.items.length} messages, expected ${expected}`);
    return { channel: median(channel), raw: median(raw), outbox: median(outbox), count };
  } finally {
    await sink.close();
  }
}

export const notifyEmailBench: Bench = {
  name: 'notify-email',
  description: 'notification emails/s through the email channel into a local SMTP sink, beside raw nodemailer sends of the same messages',
  async run(context: BenchContext): Promise<Figure[]> {
    const count = context.quick ? 40 : 1_000;
    const rounds = context.quick ? 1 : 7;
    const rates = await measureEmailRates(count, rounds, context.tmpDir);
    context.log(`${count} messages × ${rounds} alternating rounds each way (median), ${CONNECTIONS} pooled connections, ${CONCURRENCY} in flight`);
    return [
      {
        name: 'notification emails through the email channel',
        value: rates.channel,
        unit: 'emails/s',
        baseline: rates.raw,
        baselineName: 'raw nodemailer sendMail of the same messages, composed beforehand',
        target: { on: 'ratio', op: '>=', limit: 0.8 },
        note: `median of ${rounds} rounds of ${count} messages, ${CONNECTIONS} SMTP connections, ${CONCURRENCY} in flight, loopback smtp-server`,
      },
      {
        name: 'gas alarms delivered through the outbox (commit with deliveries, worker sends and logs each)',
        value: rates.outbox,
        unit: 'emails/s',
        baseline: rates.raw,
        baselineName: 'raw nodemailer sendMail, 12 in flight',
        note: `median of ${rounds} rounds of ${count} alarms for ${Math.min(count, 1_000)} users on a SQLite file; the worker sends 8 rows at a time per process`,
      },
    ];
  },
};
