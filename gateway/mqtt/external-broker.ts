/**
 * External mode: the gateway joins a broker the home already runs (Mosquitto, Home
 * Assistant's add-on) through mqtt.js, with the same topics as the embedded broker.
 * Its last will marks the gateway offline when the process dies or the network
 * drops; a clean stop publishes offline itself. Reconnects back off exponentially
 * with jitter (1 s … 60 s), each attempt on a fresh client so no hidden queue
 * replays behind the PublishQueue's back.
 */
import mqtt, { type IClientOptions, type MqttClient } from 'mqtt';
import type { Clock, TimerHandle } from '../../hardware/clock.js';
import type { Logger } from '../../hardware/logger.js';
import { LogThrottle } from '../system/log-throttle.js';
import type { LinkHandlers, LinkState, LinkStatus, MqttLink } from './mqtt-link.js';
import type { SendFn } from './publish-queue.js';

export interface ExternalBrokerOptions {
  readonly url: string;
  readonly username?: string;
  readonly password?: string;
  /** Stable per gateway, so a restarted gateway takes over its old connection. */
  readonly clientId: string;
  readonly will: { readonly topic: string; readonly payload: string };
  readonly subscriptions: readonly string[];
  /** Timers for the reconnect back-off. */
  readonly clock: Clock;
  readonly logger: Logger;
  readonly backoff?: { readonly initialMs: number; readonly maxMs: number };
  readonly connectTimeoutMs?: number;
  /** Jitter source, [0, 1). */
  readonly random?: () => number;
}

/** Exponential back-off with jitter: half to all of min(max, initial × 2^attempt). */
export function backoffDelay(attempt: number, initialMs: number, maxMs: number, random: () => number): number {
  const ceiling = Math.min(maxMs, initialMs * 2 ** Math.min(attempt, 30));
  return Math.round(ceiling * (0.5 + random() * 0.5));
}

/** The URL without credentials, for logs and status. */
export function publicUrl(url: string): string {
  try {
    const u = new URL(url);
    u.username = '';
    u.password = '';
    return u.toString().replace(/\/$/, '');
  } catch {
    return '(invalid URL)';
  }
}

export class ExternalBroker implements MqttLink {
  readonly mode = 'external' as const;
  /** HARDWARE.md: bounded, or mqtt.js slows to ~2k msg/s replaying a backlog on a full socket. */
  readonly maxInFlight = 16;
  readonly #options: ExternalBrokerOptions;
  readonly #throttle: LogThrottle;
  #client: MqttClient | undefined;
  #handlers: LinkHandlers | undefined;
  #state: LinkState = 'starting';
  #lastError: string | undefined;
  #attempt = 0;
  #connects = 0;
  #timer: TimerHandle | undefined;
  #stopped = false;
  #firstAttempt: (() => void) | undefined;

  constructor(options: ExternalBrokerOptions) {
    this.#options = options;
    this.#throttle = new LogThrottle(10 * 60_000, () => options.clock.monotonic());
  }

  readonly send: SendFn = (message, done) => {
    const client = this.#client;
    if (client === undefined || !client.connected) {
      done(new Error('not connected to the MQTT broker'));
      return;
    }
    client.publish(message.topic, message.payload, { qos: message.qos, retain: message.retain }, (err) => done(err ?? null));
  };

  status(): LinkStatus {
    return {
      state: this.#state,
      url: publicUrl(this.#options.url),
      connects: this.#connects,
      ...(this.#lastError !== undefined ? { lastError: this.#lastError } : {}),
    };
  }

  start(handlers: LinkHandlers): Promise<void> {
    this.#handlers = handlers;
    const first = new Promise<void>((resolve) => (this.#firstAttempt = resolve));
    this.#connect();
    return first;
  }

  async stop(): Promise<void> {
    this.#stopped = true;
    if (this.#timer !== undefined) this.#options.clock.clearTimeout(this.#timer);
    this.#timer = undefined;
    const client = this.#client;
    this.#client = undefined;
    this.#state = 'stopped';
    this.#firstAttempt?.();
    if (client === undefined) return;
    // A clean DISCONNECT (no last will); forced if the broker does not answer in time.
    await new Promise<void>((resolve) => {
      const timer = this.#options.clock.setTimeout(() => client.end(true, {}, () => resolve()), 3_000);
      client.end(false, {}, () => {
        this.#options.clock.clearTimeout(timer);
        resolve();
      });
    });
  }

  #connect(): void {
    if (this.#stopped) return;
    const { url, username, password, clientId, will, subscriptions, logger } = this.#options;
    this.#state = 'connecting';
    const options: IClientOptions = {
      clientId,
      ...(username !== undefined ? { username } : {}),
      ...(password !== undefined ? { password } : {}),
      protocolVersion: 4,
      clean: true,
      keepalive: 30,
      reconnectPeriod: 0, // our own back-off below
      connectTimeout: this.#options.connectTimeoutMs ?? 10_000,
      resubscribe: false,
      queueQoSZero: false,
      will: { topic: will.topic, payload: Buffer.from(will.payload), qos: 1, retain: true },
    };
    const client = mqtt.connect(url, options);
    this.#client = client;
    let over = false;
    client.on('connect', () => {
      if (this.#client !== client) return;
      this.#attempt = 0;
      this.#connects++;
      this.#state = 'connected';
      this.#lastError = undefined;
      this.#throttle.reset('connect');
      logger.info({ url: publicUrl(url), connects: this.#connects }, `connected to the MQTT broker at ${publicUrl(url)}`);
      client.subscribe([...subscriptions], { qos: 1 }, (err) => {
        if (err) logger.error({ err }, 'could not subscribe on the MQTT broker');
      });
      this.#handlers?.connected();
      this.#settleFirst();
    });
    client.on('message', (topic, payload, packet) => this.#handlers?.message({ topic, payload, replayed: packet.retain }));
    client.on('error', (err) => {
      this.#lastError = err.message;
      const suppressed = this.#throttle.admit('connect');
      if (suppressed !== undefined) logger.warn({ url: publicUrl(url), err: err.message, suppressed }, `MQTT broker at ${publicUrl(url)}: ${err.message}`);
    });
    client.on('close', () => {
      if (over || this.#client !== client) return;
      over = true;
      const wasConnected = this.#state === 'connected';
      this.#state = 'connecting';
      client.end(true);
      if (wasConnected) {
        logger.warn({ url: publicUrl(url) }, `lost the MQTT broker at ${publicUrl(url)}; reconnecting (sampling and alarms carry on)`);
        this.#handlers?.disconnected();
      }
      this.#settleFirst();
      this.#scheduleReconnect();
    });
  }

  #settleFirst(): void {
    this.#firstAttempt?.();
    this.#firstAttempt = undefined;
  }

  #scheduleReconnect(): void {
    if (this.#stopped) return;
    const { initialMs, maxMs } = this.#options.backoff ?? { initialMs: 1_000, maxMs: 60_000 };
    const delay = backoffDelay(this.#attempt++, initialMs, maxMs, this.#options.random ?? Math.random);
    this.#timer = this.#options.clock.setTimeout(() => {
      this.#timer = undefined;
      this.#connect();
    }, delay);
  }
}
