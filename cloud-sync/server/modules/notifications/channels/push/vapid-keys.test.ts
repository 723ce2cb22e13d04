import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { loadChannelSettings } from '../settings-sources.js';
import { generateVapidKeys, vapidKeysAsEnv } from './vapid-keys.js';

describe('VAPID key generation', () => {
  it('makes a fresh P-256 pair each time, printed as settings the cloud accepts', () => {
    const keys = generateVapidKeys();
    assert.equal(Buffer.from(keys.publicKey, 'base64url').length, 65);
    assert.equal(Buffer.from(keys.privateKey, 'base64url').length, 32);
    assert.notEqual(generateVapidKeys().privateKey, keys.privateKey);

    const env = Object.fromEntries(
      vapidKeysAsEnv(keys, 'mailto:ops@example.com')
        .trim()
        .split('\n')
        .map((line) => [line.slice(0, line.indexOf('=')), line.slice(line.indexOf('=') + 1)]),
    );
    const push = loadChannelSettings({ env }).push;
    assert.equal(push?.vapidPublicKey, keys.publicKey);
    assert.equal(push?.vapidPrivateKey.reveal(), keys.privateKey);
    assert.equal(push?.subject, 'mailto:ops@example.com');
  });
});
