/**
 * Webhooks: a URL the user adds, POSTed a signed JSON body. The URL is the user's
 * choice, so the request is fenced: private, loopback and reserved addresses are
 * refused (unless `webhook.allowPrivate`), checked when the socket connects; a
 * redirect is never followed (it could point inside); the whole exchange has a
 * deadline; only the first 2 KiB of the answer are read.
 */
import { request as httpRequest, type IncomingMessage } from 'node:http';
import { request as httpsRequest } from 'node:https';
import { closedOutcome, delivered, describeError, failed, gone, invalidMessageOutcome, retryLater, type Channel, type SendOutcome } from '../channel.js';
import { channelError } from '../channel-errors.js';
import { parseRetryAfter } from '../retry-after.js';
import type { WebhookSettings } from '../settings.js';
import { targetGuard, TargetRefusedError, type Resolver } from '../target-guard.js';
import { webhookBody } from './webhook-body.js';
import { DELIVERY_HEADER, SIGNATURE_HEADER, signWebhook, TIMESTAMP_HEADER } from './webhook-signature.js';

export interface WebhookAddress {
  readonly url: string;
  /** The webhook's signing secret (newWebhookSecret()). */
  readonly secret: string;
}

export interface WebhookChannelOptions {
  readonly now: () => number;
  readonly resolver?: Resolver;
}

const ANSWER_LIMIT = 2_048;

class DeadlineError extends Error {
  override readonly name = 'DeadlineError';
}

interface Answer {
  readonly status: number;
  readonly headers: IncomingMessage['headers'];
  readonly body: string;
}

export function createWebhookChannel(settings: WebhookSettings, options: WebhookChannelOptions): Channel<WebhookAddress> {
  const guard = targetGuard({ allowPrivate: settings.allowPrivate, ...(options.resolver ? { resolver: options.resolver } : {}) });
  const inFlight = new Set<AbortController>();
  let closed = false;

  return {
    kind: 'webhook',
    async send(message, address): Promise<SendOutcome> {
      if (closed) return closedOutcome('webhook');
      const invalid = invalidMessageOutcome(message);
      if (invalid !== undefined) return invalid;
      const url = checkUrl(address.url);
      if (typeof url === 'string') return failed(channelError('WEBHOOK_URL_INVALID', { reason: url }), true);
      const literal = guard.refusedLiteral(url);
      if (literal !== undefined) return failed(channelError('WEBHOOK_TARGET_REFUSED', { address: literal }), true);

      const body = JSON.stringify(webhookBody(message));
      const timestamp = Math.floor(options.now() / 1_000);
      const headers = {
        'Content-Type': 'application/json',
        'User-Agent': 'EasyGas-Webhook/1',
        [TIMESTAMP_HEADER]: String(timestamp),
        [SIGNATURE_HEADER]: signWebhook(address.secret, timestamp, body),
        [DELIVERY_HEADER]: message.id,
      };
      const abort = new AbortController();
      inFlight.add(abort);
      try {
        const answer = await post(url, headers, body, settings.timeoutMs, guard.lookup, abort.signal);
        return webhookOutcome(answer, message.id, options.now());
      } catch (error) {
        return webhookFailureOutcome(error, settings.timeoutMs);
      } finally {
        inFlight.delete(abort);
      }
    },
    close() {
      closed = true;
      for (const abort of inFlight) abort.abort();
      return Promise.resolve();
    },
  };
}

function checkUrl(text: string): URL | string {
  if (!URL.canParse(text)) return 'it is not a URL';
  const url = new URL(text);
  if (url.protocol !== 'https:' && url.protocol !== 'http:') return 'only http: and https: URLs can be called';
  if (url.username !== '' || url.password !== '') return 'put credentials in the receiver, not in the URL: the body is signed instead';
  return url;
}

function post(
  url: URL,
  headers: Record<string, string>,
  body: string,
  timeoutMs: number,
  lookup: ReturnType<typeof targetGuard>['lookup'],
  signal: AbortSignal,
): Promise<Answer> {
  return new Promise((resolve, reject) => {
    const send = url.protocol === 'https:' ? httpsRequest : httpRequest;
    const req = send(url, { method: 'POST', headers: { ...headers, 'Content-Length': String(Buffer.byteLength(body)) }, lookup, agent: false, signal }, (res) => {
      const chunks: Buffer[] = [];
      let size = 0;
      res.on('data', (chunk: Buffer) => {
        if (size < ANSWER_LIMIT) chunks.push(chunk);
        size += chunk.length;
        if (size >= ANSWER_LIMIT) res.destroy();
      });
      const finish = (): void => {
        clearTimeout(deadline);
        resolve({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks).toString('utf8').slice(0, ANSWER_LIMIT) });
      };
      res.on('end', finish);
      res.on('close', finish);
    });
    // One deadline for connect, upload and answer: a receiver that drips its answer cannot hold a worker.
    const deadline = setTimeout(() => req.destroy(new DeadlineError(`no answer within ${timeoutMs} ms`)), timeoutMs);
    req.on('error', (error) => {
      clearTimeout(deadline);
      reject(error);
    });
    req.end(body);
  });
}

function webhookOutcome(answer: Answer, deliveryId: string, now: number): SendOutcome {
  const { status } = answer;
  if (status >= 200 && status < 300) return delivered(deliveryId, `HTTP ${status}`);
  if (status >= 300 && status < 400) {
    const location = typeof answer.headers.location === 'string' ? answer.headers.location : '(none)';
    return failed(channelError('WEBHOOK_REDIRECTED', { status, location }, status));
  }
  if (status === 410) return gone(channelError('WEBHOOK_GONE', {}, status));
  if (status === 408 || status === 425 || status === 429 || status >= 500) {
    return retryLater(channelError('WEBHOOK_BUSY', { status }, status), parseRetryAfter(answer.headers['retry-after'], now));
  }
  return failed(channelError('WEBHOOK_REJECTED', { status, body: answer.body.trim() || '(empty)' }, status));
}

function webhookFailureOutcome(error: unknown, timeoutMs: number): SendOutcome {
  if (error instanceof TargetRefusedError) return failed(channelError('WEBHOOK_TARGET_REFUSED', { address: error.address }), true);
  if (error instanceof DeadlineError) return retryLater(channelError('WEBHOOK_TIMEOUT', { timeoutMs }));
  return retryLater(channelError('WEBHOOK_UNREACHABLE', { reason: describeError(error) }));
}
