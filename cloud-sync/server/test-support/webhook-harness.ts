/**
 * A route-test cloud whose webhook channel may call a local receiver (private
 * addresses allowed), with one signed-up user: for tests that follow a delivery
 * to a real webhook. `h` is undefined when PostgreSQL is unreachable (skip then).
 */
import { createChannels, loadChannelSettings } from '../modules/notifications/channels/index.js';
import { startTestWebhookReceiver, type TestWebhookReceiver } from '../modules/notifications/channels/test-support/webhook-receiver.js';
import type { CloudOptions } from '../options.js';
import { signUp, StorageUnavailable, startHarness, type Harness, type SignedIn, type StorageKind } from './harness.js';

export interface WebhookHarness {
  readonly h: Harness | undefined;
  readonly hooks: TestWebhookReceiver;
  /** Signed up when `h` is there. */
  readonly user: SignedIn | undefined;
  close(): Promise<void>;
}

export async function startWebhookHarness(storage: StorageKind, outbox: NonNullable<CloudOptions['outbox']>): Promise<WebhookHarness> {
  const hooks = await startTestWebhookReceiver();
  let h: Harness | undefined;
  const channels = createChannels(loadChannelSettings({ env: { EASYGAS_WEBHOOK_ALLOW_PRIVATE: 'true' } }), { now: () => h?.clock.now() ?? 0 });
  try {
    h = await startHarness({ channels, outbox }, { storage });
  } catch (error) {
    if (!(error instanceof StorageUnavailable)) throw error;
  }
  const user = h === undefined ? undefined : await signUp(h.app);
  return {
    h,
    hooks,
    user,
    async close() {
      await h?.close();
      await Promise.all([hooks.close(), channels.close()]);
    },
  };
}
