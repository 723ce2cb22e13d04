/**
 * A rig whose cloud really sends: email through a real SMTP sink on loopback, and
 * VAPID keys set, as a deployment has them (the channels page asks for the push key).
 */
import { createChannels, createEmailChannel, generateVapidKeys, loadChannelSettings } from '../../cloud-sync/server/modules/notifications/channels/index.js';
import { startSmtpSink, type SmtpSink } from '../../cloud-sync/server/modules/notifications/channels/test-support/smtp-sink.js';
import { startRig, type Rig } from './rig.js';

export interface MailRig {
  readonly rig: Rig;
  readonly sink: SmtpSink;
  close(): Promise<void>;
}

export async function startMailRig(): Promise<MailRig> {
  const sink = await startSmtpSink();
  const keys = generateVapidKeys();
  const env = { EASYGAS_VAPID_PUBLIC_KEY: keys.publicKey, EASYGAS_VAPID_PRIVATE_KEY: keys.privateKey, EASYGAS_VAPID_SUBJECT: 'mailto:ops@easygas.example' };
  const base = createChannels(loadChannelSettings({ env }), { now: Date.now });
  const email = createEmailChannel({ host: sink.host, port: sink.port, secure: false, requireTls: false, fromName: 'EasyGas Alerts', fromAddress: 'alerts@easygas.example' });
  const channels = { ...base, email, close: async () => void (await Promise.all([base.close(), email.close()])) };
  const rig = await startRig({ channels });
  return {
    rig,
    sink,
    async close() {
      await rig.close();
      await channels.close();
      await sink.close();
    },
  };
}
