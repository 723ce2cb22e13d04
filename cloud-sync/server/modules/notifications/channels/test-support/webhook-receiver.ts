/**
 * A local webhook receiver: records every request (headers and raw body) and
 * answers 204, or what a test scripted (a redirect, a 503 with Retry-After, an
 * answer that never comes). It verifies nothing itself: tests run the
 * receivers' verifier on what it recorded.
 */
import { createServer, type IncomingHttpHeaders } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Inbox } from './inbox.js';

export interface ReceivedWebhook {
  readonly method: string;
  readonly path: string;
  readonly headers: IncomingHttpHeaders;
  readonly body: string;
}

export interface ScriptedWebhookReply {
  readonly status: number;
  readonly headers?: Readonly<Record<string, string>>;
  readonly body?: string;
  /** Never answer (the channel's deadline must end it). */
  readonly hang?: boolean;
}

export interface TestWebhookReceiver {
  readonly url: string;
  readonly port: number;
  readonly received: Inbox<ReceivedWebhook>;
  script(...replies: ScriptedWebhookReply[]): void;
  close(): Promise<void>;
}

export async function startTestWebhookReceiver(): Promise<TestWebhookReceiver> {
  const received = new Inbox<ReceivedWebhook>();
  const scripted: ScriptedWebhookReply[] = [];
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      received.add({ method: req.method ?? '', path: req.url ?? '', headers: req.headers, body: Buffer.concat(chunks).toString('utf8') });
      const reply = scripted.shift() ?? { status: 204 };
      if (reply.hang === true) return;
      res.writeHead(reply.status, reply.headers).end(reply.body ?? '');
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as AddressInfo).port;
  return {
    url: `http://127.0.0.1:${port}/hooks/easygas`,
    port,
    received,
    script: (...replies) => void scripted.push(...replies),
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
