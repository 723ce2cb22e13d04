/**
 * The live WebSocket's protocol (GET /api/ws): the messages a browser sends, the
 * ones it receives, and the close codes, each with a reason that says what to do.
 * JSON text frames only. The token travels in the first message, never in the URL
 * (URLs end up in proxy logs and browser history).
 */
import type { RawData } from 'ws';
import { LIVE_TOPICS, type DomainEvent, type LiveTopic } from '../../events/domain-events.js';

export const LIVE_PATH = '/api/ws';

export const CLOSE = {
  NORMAL: 1000,
  /** The server is shutting down: reconnect (to another server, or this one after its restart). */
  GOING_AWAY: 1001,
  /** A frame larger than the limit (ws closes with it by itself). */
  TOO_BIG: 1009,
  INTERNAL: 1011,
  INVALID_MESSAGE: 4400,
  AUTH_FAILED: 4401,
  SESSION_REVOKED: 4403,
  AUTH_TIMEOUT: 4408,
  TOO_SLOW: 4409,
} as const;
export type CloseCode = (typeof CLOSE)[keyof typeof CLOSE];

/** Close reasons (at most 123 bytes each, as the WebSocket protocol allows). */
export const CLOSE_REASONS: Readonly<Record<CloseCode, string>> = {
  [CLOSE.NORMAL]: 'bye',
  [CLOSE.GOING_AWAY]: 'server shutting down: reconnect',
  [CLOSE.TOO_BIG]: 'message too big',
  [CLOSE.INTERNAL]: 'internal error: reconnect',
  [CLOSE.INVALID_MESSAGE]: 'invalid message: send JSON text frames of type auth, subscribe, unsubscribe or ping',
  [CLOSE.AUTH_FAILED]: 'authentication failed: refresh the access token, then reconnect',
  [CLOSE.SESSION_REVOKED]: 'session ended (signed out everywhere, password changed or account closed): sign in again',
  [CLOSE.AUTH_TIMEOUT]: 'no auth message in time: send {"type":"auth","token":...} first',
  [CLOSE.TOO_SLOW]: 'too slow: messages piled up unread; reconnect and reload',
};

export type ClientMessage =
  | { readonly type: 'auth'; readonly token: string; readonly topics?: readonly LiveTopic[] }
  | { readonly type: 'subscribe' | 'unsubscribe'; readonly topics: readonly LiveTopic[] }
  | { readonly type: 'ping'; readonly id?: string };

export type ServerMessage =
  | { readonly type: 'ready'; readonly userId: string; readonly topics: readonly LiveTopic[] }
  | { readonly type: 'subscribed'; readonly topics: readonly LiveTopic[] }
  | { readonly type: 'pong'; readonly id?: string }
  | { readonly type: 'event'; readonly topic: LiveTopic; readonly event: Omit<DomainEvent, 'userId'> };

const TOPICS = new Set<string>(LIVE_TOPICS);

function topicsOf(value: unknown): LiveTopic[] | undefined {
  if (!Array.isArray(value) || value.length > LIVE_TOPICS.length * 2) return undefined;
  return value.every((t): t is LiveTopic => typeof t === 'string' && TOPICS.has(t)) ? [...new Set(value)] : undefined;
}

/** The message, or undefined for anything else (binary, not JSON, an unknown type, a bad field). */
export function parseClientMessage(data: RawData, isBinary: boolean): ClientMessage | undefined {
  if (isBinary) return undefined;
  let value: unknown;
  try {
    value = JSON.parse(Buffer.isBuffer(data) ? data.toString('utf8') : Buffer.concat(Array.isArray(data) ? data : [Buffer.from(data)]).toString('utf8'));
  } catch {
    return undefined;
  }
  if (typeof value !== 'object' || value === null) return undefined;
  const m = value as Record<string, unknown>;
  switch (m.type) {
    case 'auth': {
      if (typeof m.token !== 'string' || m.token.length === 0 || m.token.length > 4096) return undefined;
      if (m.topics === undefined) return { type: 'auth', token: m.token };
      const topics = topicsOf(m.topics);
      return topics === undefined ? undefined : { type: 'auth', token: m.token, topics };
    }
    case 'subscribe':
    case 'unsubscribe': {
      const topics = topicsOf(m.topics);
      return topics === undefined ? undefined : { type: m.type, topics };
    }
    case 'ping':
      if (m.id === undefined) return { type: 'ping' };
      return typeof m.id === 'string' && m.id.length <= 64 ? { type: 'ping', id: m.id } : undefined;
    default:
      return undefined;
  }
}

/** What a browser receives of an event: everything but whose it is (it is theirs). */
export function eventMessage(topic: LiveTopic, event: DomainEvent): ServerMessage {
  const { userId: _owner, ...rest } = event;
  return { type: 'event', topic, event: rest };
}
