/**
 * Web push with VAPID through the `web-push` package: the payload is encrypted
 * for the subscription's keys (aes128gcm, RFC 8291) and sent with TTL, Urgency
 * (high for alarms) and Topic (RFC 8030). The push service's answer decides the
 * outcome: 201 delivered; 404/410 the subscription is gone (delete it); 429 and
 * 5xx retry, after Retry-After when given; 401/403 our keys are refused.
 */
import { Agent } from 'node:https';
import webpush, { WebPushError } from 'web-push';
import { closedOutcome, delivered, describeError, failed, gone, invalidMessageOutcome, retryLater, type Channel, type SendOutcome } from '../channel.js';
import { channelError } from '../channel-errors.js';
import { parseRetryAfter } from '../retry-after.js';
import type { PushSettings } from '../settings.js';
import { targetGuard, TargetRefusedError, type Resolver } from '../target-guard.js';
import { pushPayload, pushTopic, pushUrgency } from './push-payload.js';

/** A browser's PushSubscription as `subscription.toJSON()` gives it. */
export interface PushSubscriptionAddress {
  readonly endpoint: string;
  readonly keys: { readonly p256dh: string; readonly auth: string };
}

export interface PushChannelOptions {
  readonly now: () => number;
  /** Extra certificate authorities for the push service (tests; an on-premises service). */
  readonly ca?: string;
  readonly timeoutMs?: number;
  readonly resolver?: Resolver;
}

export function createPushChannel(settings: PushSettings, options: PushChannelOptions): Channel<PushSubscriptionAddress> {
  const guard = targetGuard({ allowPrivate: settings.allowPrivate, ...(options.resolver ? { resolver: options.resolver } : {}) });
  const agent = new Agent({ keepAlive: true, lookup: guard.lookup, ...(options.ca !== undefined ? { ca: options.ca } : {}) });
  const vapidDetails = { subject: settings.subject, publicKey: settings.vapidPublicKey, privateKey: settings.vapidPrivateKey.reveal() };
  let closed = false;

  return {
    kind: 'push',
    async send(message, subscription): Promise<SendOutcome> {
      if (closed) return closedOutcome('push');
      const invalid = invalidMessageOutcome(message);
      if (invalid !== undefined) return invalid;
      const endpointProblem = checkEndpoint(subscription.endpoint);
      if (endpointProblem !== undefined) return gone(channelError('PUSH_SUBSCRIPTION_INVALID', { reason: endpointProblem }));
      const refused = guard.refusedLiteral(new URL(subscription.endpoint));
      if (refused !== undefined) return gone(channelError('PUSH_SUBSCRIPTION_INVALID', { reason: `its endpoint is on ${refused}, a private address` }));
      try {
        const result = await webpush.sendNotification({ endpoint: subscription.endpoint, keys: { ...subscription.keys } }, pushPayload(message), {
          vapidDetails,
          TTL: settings.ttlSeconds,
          urgency: pushUrgency(message),
          topic: pushTopic(message.topicKey),
          contentEncoding: 'aes128gcm',
          timeout: options.timeoutMs ?? 15_000,
          agent,
        });
        const location = headerValue(result.headers, 'location');
        return delivered(location ?? `${subscription.endpoint}#${message.id}`, `HTTP ${result.statusCode}`);
      } catch (error) {
        return pushFailureOutcome(error, options.now());
      }
    },
    close() {
      closed = true;
      agent.destroy();
      return Promise.resolve();
    },
  };
}

function checkEndpoint(endpoint: string): string | undefined {
  if (!URL.canParse(endpoint)) return 'its endpoint is not a URL';
  return new URL(endpoint).protocol === 'https:' ? undefined : 'its endpoint is not an https: URL';
}

function headerValue(headers: Record<string, string | string[] | undefined> | undefined, name: string): string | undefined {
  const value = headers?.[name];
  return Array.isArray(value) ? value[0] : value;
}

export function pushFailureOutcome(error: unknown, now: number): SendOutcome {
  if (error instanceof WebPushError) {
    const status = error.statusCode;
    const params = { status, body: error.body || '(empty)' };
    if (status === 404 || status === 410) return gone(channelError('PUSH_SUBSCRIPTION_GONE', { status }, status));
    if (status === 429 || status >= 500) {
      return retryLater(channelError('PUSH_BUSY', { status }, status), parseRetryAfter(headerValue(error.headers, 'retry-after'), now));
    }
    if (status === 401 || status === 403) return failed(channelError('PUSH_VAPID_REJECTED', { status }, status));
    return failed(channelError('PUSH_REJECTED', params, status));
  }
  const refused = error instanceof TargetRefusedError ? error : (error as { cause?: unknown } | null)?.cause;
  if (refused instanceof TargetRefusedError) {
    return gone(channelError('PUSH_SUBSCRIPTION_INVALID', { reason: `its endpoint resolves to ${refused.address}, a private address` }));
  }
  // web-push checks the subscription's keys before sending: bad keys never get better.
  if (error instanceof Error && /subscription|p256dh|auth/i.test(error.message) && (error as { code?: unknown }).code === undefined) {
    return gone(channelError('PUSH_SUBSCRIPTION_INVALID', { reason: error.message }));
  }
  return retryLater(channelError('PUSH_UNREACHABLE', { reason: describeError(error) }));
}
