/**
 * A local push service (RFC 8030) for tests, speaking HTTPS with a test
 * certificate like the real ones. It hands out browser-like subscriptions (a
 * P-256 key pair and an auth secret per subscription) and, for every message,
 * checks what Mozilla's or Google's service would: the VAPID JWT (ES256 against
 * the application server key, aud = this origin, exp within 24 h, sub), the TTL,
 * Urgency and Topic headers and the aes128gcm encoding, then decrypts the payload
 * with the subscription's private keys. A bad request is answered 400/401/403 and
 * kept in `rejected`; scripted answers (410, 429 + Retry-After, 503) test outcomes.
 * `pending()` models an offline device: a newer message with the same Topic
 * replaces the older one, as RFC 8030 §5.4 says.
 */
import { randomUUID } from 'node:crypto';
import { createServer, type Server } from 'node:https';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Inbox } from './inbox.js';
import type { TestCertificate } from './tls-cert.js';
import { checkVapidAuthorization, decryptAes128gcm, newUserAgentKeys, type UserAgentKeys, type VapidClaims } from './web-push-crypto.js';

export interface TestSubscription {
  readonly id: string;
  readonly endpoint: string;
  readonly keys: { readonly p256dh: string; readonly auth: string };
}

export interface PushDelivery {
  readonly subscriptionId: string;
  readonly messageUrl: string;
  readonly ttl: number;
  readonly urgency: string;
  readonly topic?: string;
  readonly claims: VapidClaims;
  /** The decrypted payload. */
  readonly payload: string;
}

export interface PushRejection {
  readonly subscriptionId: string;
  readonly status: number;
  readonly reason: string;
}

export interface ScriptedReply {
  readonly status: number;
  readonly headers?: Readonly<Record<string, string>>;
  readonly body?: string;
}

export interface TestPushService {
  readonly origin: string;
  subscribe(): TestSubscription;
  readonly received: Inbox<PushDelivery>;
  readonly rejected: Inbox<PushRejection>;
  /** The next answers for a subscription, in order, instead of accepting. */
  script(subscriptionId: string, ...replies: ScriptedReply[]): void;
  /** The subscription expired: every later message is answered 410 Gone. */
  expire(subscriptionId: string): void;
  /** What an offline device would receive when it comes back (Topic replacement applied). */
  pending(subscriptionId: string): PushDelivery[];
  close(): Promise<void>;
}

interface Subscriber {
  readonly keys: UserAgentKeys;
  readonly pending: PushDelivery[];
  readonly scripted: ScriptedReply[];
  expired: boolean;
}

export interface TestPushServiceOptions {
  readonly tls: TestCertificate;
  /** The application server key subscriptions are made with (the VAPID public key). */
  readonly vapidPublicKey: string;
  readonly now?: () => number;
}

const URGENCIES = new Set(['very-low', 'low', 'normal', 'high']);
const MAX_BODY = 4_096 + 86;

export async function startTestPushService(options: TestPushServiceOptions): Promise<TestPushService> {
  const subscribers = new Map<string, Subscriber>();
  const received = new Inbox<PushDelivery>();
  const rejected = new Inbox<PushRejection>();
  const now = options.now ?? Date.now;
  const server: Server = createServer({ key: options.tls.key, cert: options.tls.cert }, (req, res) => {
    readBody(req).then(
      (body) => handle(req, res, body),
      () => res.destroy(),
    );
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const origin = `https://127.0.0.1:${(server.address() as AddressInfo).port}`;

  function reject(res: ServerResponse, subscriptionId: string, status: number, reason: string): void {
    rejected.add({ subscriptionId, status, reason });
    res.writeHead(status, { 'content-type': 'application/json' }).end(JSON.stringify({ code: status, error: reason }));
  }

  function handle(req: IncomingMessage, res: ServerResponse, body: Buffer): void {
    const id = /^\/push\/([\w-]+)$/.exec(req.url ?? '')?.[1] ?? '';
    const subscriber = subscribers.get(id);
    if (req.method !== 'POST') return reject(res, id, 405, `method ${req.method ?? ''}`);
    if (subscriber === undefined) return reject(res, id, 404, 'no such subscription');
    if (subscriber.expired) return reject(res, id, 410, 'subscription expired');
    const scripted = subscriber.scripted.shift();
    if (scripted !== undefined) return void res.writeHead(scripted.status, scripted.headers).end(scripted.body ?? '');

    const vapid = checkVapidAuthorization(req.headers.authorization, { publicKey: options.vapidPublicKey, audience: origin, now: now() });
    if (!vapid.ok) return reject(res, id, vapid.reason.startsWith('k=') ? 403 : 401, vapid.reason);
    const ttlText = req.headers.ttl;
    if (typeof ttlText !== 'string' || !/^\d+$/.test(ttlText)) return reject(res, id, 400, 'TTL header missing or not a number');
    const urgency = req.headers.urgency ?? 'normal';
    if (typeof urgency !== 'string' || !URGENCIES.has(urgency)) return reject(res, id, 400, `Urgency ${String(urgency)} is not allowed`);
    const topic = req.headers.topic;
    if (topic !== undefined && (typeof topic !== 'string' || !/^[A-Za-z0-9_-]{1,32}$/.test(topic))) {
      return reject(res, id, 400, 'Topic must be 1-32 characters of URL-safe base64');
    }
    if (req.headers['content-encoding'] !== 'aes128gcm') return reject(res, id, 400, `Content-Encoding ${String(req.headers['content-encoding'])} is not aes128gcm`);
    if (body.length > MAX_BODY) return reject(res, id, 413, 'payload too large');
    let payload: string;
    try {
      payload = decryptAes128gcm(body, subscriber.keys).toString('utf8');
    } catch (error) {
      return reject(res, id, 400, `cannot decrypt: ${(error as Error).message}`);
    }
    const messageUrl = `${origin}/m/${randomUUID()}`;
    const delivery: PushDelivery = { subscriptionId: id, messageUrl, ttl: Number(ttlText), urgency, claims: vapid.claims, payload, ...(topic ? { topic } : {}) };
    if (topic !== undefined) {
      const older = subscriber.pending.findIndex((p) => p.topic === topic);
      if (older >= 0) subscriber.pending.splice(older, 1);
    }
    subscriber.pending.push(delivery);
    received.add(delivery);
    res.writeHead(201, { location: messageUrl, ttl: ttlText }).end();
  }

  return {
    origin,
    received,
    rejected,
    subscribe() {
      const id = randomUUID();
      const keys = newUserAgentKeys();
      subscribers.set(id, { keys, pending: [], scripted: [], expired: false });
      return { id, endpoint: `${origin}/push/${id}`, keys: { p256dh: keys.publicKey.toString('base64url'), auth: keys.authSecret.toString('base64url') } };
    },
    script(id, ...replies) {
      subscribers.get(id)?.scripted.push(...replies);
    },
    expire(id) {
      const s = subscribers.get(id);
      if (s !== undefined) s.expired = true;
    },
    pending: (id) => [...(subscribers.get(id)?.pending ?? [])],
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

function readBody(req: IncomingMessage): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    req.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size <= 64 * 1024) chunks.push(chunk);
    });
    req.on('end', () => resolve(Buffer.concat(chunks)));
    req.on('error', reject);
  });
}
