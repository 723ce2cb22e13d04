/**
 * The transport under the gateway's MQTT service: the embedded aedes broker
 * (in-process publish and subscribe) or an external broker through mqtt.js. The
 * service above it knows topics and payloads; a link knows sockets and sessions.
 */
import type { SendFn } from './publish-queue.js';

export interface LinkMessage {
  readonly topic: string;
  readonly payload: Buffer;
  /** A retained message delivered because we subscribed: old news, not a fresh event. */
  readonly replayed: boolean;
}

export interface LinkHandlers {
  /** The link can publish: send the full state (status, discovery, states). Runs again after each reconnect. */
  connected(): void;
  /** The link lost its broker (external mode); publishes wait until it is back. */
  disconnected(): void;
  message(message: LinkMessage): void;
}

export type LinkState = 'starting' | 'listening' | 'port_in_use' | 'connecting' | 'connected' | 'unavailable' | 'stopped';

export interface LinkStatus {
  readonly state: LinkState;
  /** Where clients connect (embedded) or where we connect (external, without credentials). */
  readonly url?: string;
  readonly websocketUrl?: string;
  /** Connected clients (embedded). */
  readonly clients?: number;
  readonly lastError?: string;
  /** Successful (re)connections (external). */
  readonly connects?: number;
  readonly refusedLogins?: number;
  readonly deniedPublishes?: number;
  readonly deniedSubscriptions?: number;
  /** Persistence writes that failed (embedded; MQTT then runs from memory). */
  readonly persistenceWriteErrors?: number;
}

export interface MqttLink {
  readonly mode: 'embedded' | 'external';
  /** Publishes this link may have awaiting acknowledgement at once. */
  readonly maxInFlight: number;
  /** Starts; resolves once the first attempt is over, whatever its outcome. Never rejects. */
  start(handlers: LinkHandlers): Promise<void>;
  /** Used by the PublishQueue; fails the message (never throws) when the link is down. */
  readonly send: SendFn;
  status(): LinkStatus;
  /** Closes everything it opened. A clean stop: no last will fires. */
  stop(): Promise<void>;
}
