/**
 * VAPID keys (RFC 8292): one P-256 pair per deployment, kept in the settings.
 * Every browser subscription is bound to the public key, so it must not change
 * once users have enabled push. `easygas cloud vapid-keys` will print these.
 */
import webpush from 'web-push';
import { SETTING_ENV } from '../settings-sources.js';

export interface VapidKeys {
  /** 65 bytes, uncompressed P-256 point, URL-safe base64: the dashboard's applicationServerKey. */
  readonly publicKey: string;
  /** 32 bytes, URL-safe base64: a secret. */
  readonly privateKey: string;
}

export function generateVapidKeys(): VapidKeys {
  const { publicKey, privateKey } = webpush.generateVAPIDKeys();
  return { publicKey, privateKey };
}

/** The environment lines to paste into the cloud's unit or .env file. */
export function vapidKeysAsEnv(keys: VapidKeys, subject = 'mailto:you@example.com'): string {
  return [
    `${SETTING_ENV['push.vapidPublicKey']}=${keys.publicKey}`,
    `${SETTING_ENV['push.vapidPrivateKey']}=${keys.privateKey}`,
    `${SETTING_ENV['push.subject']}=${subject}`,
    '',
  ].join('\n');
}
