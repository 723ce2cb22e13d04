/**
 * GET /api/ws: with `Upgrade: websocket`, the live socket (live-hub.ts); without,
 * the protocol it speaks, as JSON (topics, messages, close codes, limits), which is
 * also what the OpenAPI document declares. The upgrade is taken from the HTTP
 * server before fastify routes it; a shutting-down server refuses new sockets.
 */
import { Type } from 'typebox';
import { ok } from '../../api/answers.js';
import type { Actor } from '../../auth/actor.js';
import type { CloudApp, CloudContext } from '../../context.js';
import { LIVE_TOPICS } from '../../events/domain-events.js';
import { LiveHub, type LiveOptions } from './live-hub.js';
import { CLOSE_REASONS, LIVE_PATH } from './live-protocol.js';

const LiveProtocol = Type.Object(
  {
    url: Type.String({ description: 'Where to open the WebSocket (ws: or wss: as this page was served).' }),
    topics: Type.Array(Type.String(), { description: 'What a socket may subscribe to; each carries only your own gateways and sensors.' }),
    clientMessages: Type.Array(Type.String(), { description: 'The JSON messages a client sends, the first being auth.' }),
    serverMessages: Type.Array(Type.String(), { description: 'The JSON messages the server sends.' }),
    closeCodes: Type.Record(Type.String(), Type.String(), { description: 'Each close code the server uses, with what to do.' }),
    limits: Type.Object({ authTimeoutMs: Type.Integer(), heartbeatMs: Type.Integer(), maxMessageBytes: Type.Integer(), maxQueueBytes: Type.Integer() }),
  },
  { title: 'LiveProtocol' },
);

/** The user an access token belongs to, checked as every request's (a password change or sign-out everywhere ends it). */
export function accessTokenUser(ctx: Pick<CloudContext, 'repo' | 'sessions'>): (token: string) => Promise<Actor | undefined> {
  return async (token) => {
    const claims = ctx.sessions.verifyAccess(token);
    if (claims === undefined) return undefined;
    const user = await ctx.repo.users.byId(claims.sub);
    return user === undefined || user.tokenVersion !== claims.ver ? undefined : { userId: user.id, role: user.role };
  };
}

export function liveRoutes(app: CloudApp, ctx: CloudContext, options: LiveOptions = {}): LiveHub {
  const hub = new LiveHub(ctx.events, accessTokenUser(ctx), ctx.clock, ctx.metrics, app.log.child({ component: 'live' }), options);
  const limits = {
    authTimeoutMs: options.authTimeoutMs ?? 10_000,
    heartbeatMs: options.heartbeatMs ?? 30_000,
    maxMessageBytes: options.maxMessageBytes ?? 4096,
    maxQueueBytes: options.maxQueueBytes ?? 1024 * 1024,
  };

  app.server.on('upgrade', (request, socket, head) => {
    if (new URL(request.url ?? '/', 'http://host').pathname !== LIVE_PATH) {
      socket.end('HTTP/1.1 404 Not Found\r\nConnection: close\r\nContent-Length: 0\r\n\r\n');
      return;
    }
    hub.upgrade(request, socket, head);
  });
  // Before fastify stops listening: each browser hears 1001 and reconnects elsewhere.
  app.addHook('preClose', async () => hub.close());

  app.get(
    LIVE_PATH,
    {
      config: { noDatabase: true },
      schema: {
        operationId: 'describeLiveSocket',
        tags: ['live'],
        summary: 'The live WebSocket: open it with Upgrade: websocket; without, this describes its protocol',
        description:
          'Open a WebSocket to this path (101 Switching Protocols). Send `{"type":"auth","token":"<access token>","topics":["readings","events","notifications","presence","orders"]}` ' +
          'as the first message, within the auth timeout: the token never goes in the URL. The server answers `{"type":"ready"}` and then sends ' +
          '`{"type":"event","topic":…,"event":…}` for each change committed to your gateways and sensors, from any API server, within a second. ' +
          '`subscribe`/`unsubscribe` change the topics; `ping` is answered with `pong`. The server pings every heartbeat interval and drops a socket ' +
          'that does not answer; a client that leaves more than maxQueueBytes unread is dropped (4409). Garbage closes with 4400, a frame over ' +
          'maxMessageBytes with 1009, a bad token with 4401, no auth in time with 4408, a session ended (sign out everywhere, password change) with 4403, ' +
          'a shutdown with 1001. After any close, reconnect with back-off and reload what you show: events sent while disconnected are not replayed.',
        response: { 200: ok(LiveProtocol, 'Without an Upgrade header: what the socket speaks.') },
      },
    },
    (request) => ({
      url: `${request.protocol === 'https' ? 'wss' : 'ws'}://${request.host}${LIVE_PATH}`,
      topics: [...LIVE_TOPICS],
      clientMessages: ['auth { token, topics? }', 'subscribe { topics }', 'unsubscribe { topics }', 'ping { id? }'],
      serverMessages: ['ready { userId, topics }', 'subscribed { topics }', 'pong { id? }', 'event { topic, event }'],
      closeCodes: Object.fromEntries(Object.entries(CLOSE_REASONS)),
      limits,
    }),
  );
  return hub;
}
