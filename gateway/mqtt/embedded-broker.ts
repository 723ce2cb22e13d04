/**
 * The embedded broker (aedes 1.x): MQTT over TCP, and over WebSocket when a port is
 * set; users and per-client ACLs from the config; retained messages and QoS 1
 * sessions in <dataDir>/mqtt.db. The gateway publishes and subscribes in-process.
 *
 * A taken port never stops the daemon: the log says what holds it and how to fix it
 * (another port, EASYGAS_MQTT_PORT, or mode: external), and the port is tried again
 * later (`retry`), or — in simulate mode — the next free port is used (`next_free`).
 */
import { existsSync, renameSync } from 'node:fs';
import { Aedes, type Client } from 'aedes';
import type { Clock, TimerHandle } from '../../hardware/clock.js';
import type { Logger } from '../../hardware/logger.js';
import { createError } from '../errors.js';
import { LogThrottle } from '../system/log-throttle.js';
import type { AccessPolicy, ClientRights } from './access-policy.js';
import { describePrincipal } from './access-policy.js';
import type { Authenticator } from './broker-auth.js';
import { atDeliveryQos, respectSubscriptionQos } from './delivery-qos.js';
import { listenTcp, listenWebSocket, probeMqtt, type ConnectionHandler, type Listener } from './broker-listener.js';
import type { LinkHandlers, LinkState, LinkStatus, MqttLink } from './mqtt-link.js';
import type { SendFn } from './publish-queue.js';
import { SqlitePersistence } from './sqlite-persistence.js';

export interface EmbeddedBrokerOptions {
  readonly host: string;
  /** 0 = any free port (tests). */
  readonly port: number;
  readonly websocketPort?: number;
  /** A taken port: try it again later, or move on to the next free one (simulate mode). */
  readonly portInUse: 'retry' | 'next_free';
  /** <dataDir>/mqtt.db; undefined keeps everything in memory. */
  readonly persistencePath?: string;
  readonly authenticator: Authenticator;
  readonly policy: AccessPolicy;
  readonly maxPayloadBytes: number;
  /** Filters the gateway itself listens to, in-process. */
  readonly subscriptions: readonly string[];
  /** Whether a topic carries Wi-Fi node readings (an oversized one is a rejected reading). */
  readonly isNodeReading: (topic: string) => boolean;
  readonly onOversized?: (topic: string, bytes: number) => void;
  readonly clock: Clock;
  readonly logger: Logger;
  /** Waits before trying a taken port again (the last one repeats). */
  readonly retryDelaysMs?: readonly number[];
}

const DEFAULT_RETRY_MS = [30_000, 60_000, 120_000, 300_000];

type Endpoint = 'tcp' | 'websocket';

interface ErrnoLike {
  readonly code?: string;
  readonly message?: string;
}

export class EmbeddedBroker implements MqttLink {
  readonly mode = 'embedded' as const;
  /**
   * One at a time: aedes drops, as a "duplicate", a packet delivered after one with a
   * higher counter from the same broker id, and a retained publish (stored first)
   * is overtaken by a plain one started after it. In order, nothing is lost.
   */
  readonly maxInFlight = 1;
  readonly #options: EmbeddedBrokerOptions;
  readonly #rights = new WeakMap<Client, ClientRights>();
  /** Clients whose CONNECT had an empty client id and clean session 0 (MQTT-3.1.3-8). */
  readonly #sessionWithoutId = new WeakSet<Client>();
  readonly #throttle: LogThrottle;
  readonly #listeners = new Map<Endpoint, Listener>();
  readonly #retries = new Map<Endpoint, { timer: TimerHandle; attempt: number }>();
  #broker: Aedes | undefined;
  #persistence: SqlitePersistence | undefined;
  #state: LinkState = 'starting';
  #lastError: string | undefined;
  #stopped = false;
  #refusedLogins = 0;
  #deniedPublishes = 0;
  #deniedSubscriptions = 0;

  constructor(options: EmbeddedBrokerOptions) {
    this.#options = options;
    this.#throttle = new LogThrottle(10 * 60_000, () => options.clock.monotonic());
  }

  readonly send: SendFn = (message, done) => {
    const broker = this.#broker;
    if (broker === undefined || broker.closed) {
      done(new Error('the embedded broker is not running'));
      return;
    }
    const payload = typeof message.payload === 'string' ? Buffer.from(message.payload) : message.payload;
    // The gateway's own broker id: its packets are ordered among themselves (see maxInFlight),
    // not against the clients', which aedes numbers from the same counter.
    const packet = { cmd: 'publish' as const, topic: message.topic, payload, qos: message.qos, retain: message.retain, dup: false, brokerId: `${broker.id}:gateway` };
    broker.publish(packet, (err) => done(err ?? null));
  };

  status(): LinkStatus {
    const { host } = this.#options;
    const shown = host === '0.0.0.0' || host === '::' ? '127.0.0.1' : host;
    const tcp = this.#listeners.get('tcp');
    const ws = this.#listeners.get('websocket');
    return {
      state: this.#state,
      ...(tcp !== undefined ? { url: `mqtt://${shown}:${tcp.port}` } : {}),
      ...(ws !== undefined ? { websocketUrl: `ws://${shown}:${ws.port}` } : {}),
      clients: this.#broker?.connectedClients ?? 0,
      ...(this.#lastError !== undefined ? { lastError: this.#lastError } : {}),
      refusedLogins: this.#refusedLogins,
      deniedPublishes: this.#deniedPublishes,
      deniedSubscriptions: this.#deniedSubscriptions,
      persistenceWriteErrors: this.#persistence?.stats.writeErrors ?? 0,
    };
  }

  /** The port clients connect to, once listening. */
  get port(): number | undefined {
    return this.#listeners.get('tcp')?.port;
  }

  get websocketPort(): number | undefined {
    return this.#listeners.get('websocket')?.port;
  }

  async start(handlers: LinkHandlers): Promise<void> {
    const { logger } = this.#options;
    try {
      this.#persistence = this.#openPersistence();
      this.#broker = await Aedes.createBroker({
        ...(this.#persistence !== undefined ? { persistence: this.#persistence } : {}),
        // aedes would make up an id for an empty one, even for a session meant to persist.
        preConnect: (client, packet, done) => {
          if (packet.clientId === '' && packet.clean === false) this.#sessionWithoutId.add(client);
          respectSubscriptionQos(client);
          done(null, true);
        },
        authenticate: (client, username, password, done) => this.#authenticate(client, username, password, done),
        authorizePublish: (client, packet, done) => done(this.#authorizePublish(client, packet.topic, packet.payload, packet.retain)),
        authorizeSubscribe: (client, sub, done) => done(null, this.#authorizeSubscribe(client, sub.topic) ? sub : null),
        // A safety net: whatever is delivered (queued sessions included) must be readable by its receiver.
        authorizeForward: (client, packet) => (this.#mayReceive(client, packet.topic) ? atDeliveryQos(client, packet) : null),
      });
      if (this.#stopped) {
        await this.#closeBroker(); // stopped while it was starting
        return;
      }
      this.#broker.on('clientError', (client, err) => logger.debug({ client: client.id, err: err.message }, 'MQTT client error'));
      for (const filter of this.#options.subscriptions) {
        await new Promise<void>((resolve) =>
          this.#broker?.subscribe(
            filter,
            (packet, done) => {
              try {
                const payload = Buffer.isBuffer(packet.payload) ? packet.payload : Buffer.from(packet.payload);
                handlers.message({ topic: packet.topic, payload, replayed: false });
              } finally {
                done();
              }
            },
            resolve,
          ),
        );
      }
    } catch (err) {
      this.#state = 'unavailable';
      this.#lastError = err instanceof Error ? err.message : String(err);
      logger.error({ err }, 'the embedded MQTT broker could not start; sampling and alarms carry on without MQTT');
      return;
    }
    handlers.connected();
    await this.#bind('tcp', this.#options.port);
    if (this.#options.websocketPort !== undefined) await this.#bind('websocket', this.#options.websocketPort);
  }

  async stop(): Promise<void> {
    this.#stopped = true;
    for (const { timer } of this.#retries.values()) this.#options.clock.clearTimeout(timer);
    this.#retries.clear();
    await this.#closeBroker();
    this.#state = 'stopped';
  }

  async #closeBroker(): Promise<void> {
    const broker = this.#broker;
    if (broker !== undefined && !broker.closed) await new Promise<void>((resolve) => broker.close(() => resolve()));
    await Promise.allSettled([...this.#listeners.values()].map((l) => l.close()));
    this.#listeners.clear();
    const persistence = this.#persistence;
    this.#persistence = undefined;
    await persistence?.destroy().catch(() => undefined);
  }

  #openPersistence(): SqlitePersistence | undefined {
    const path = this.#options.persistencePath;
    if (path === undefined) return undefined;
    const { logger } = this.#options;
    const onWriteError = (err: unknown, what: string): void => {
      const suppressed = this.#throttle.admit(`persistence:${what}`);
      if (suppressed !== undefined) logger.error({ err, what, suppressed }, `could not write MQTT ${what} to ${path}: carrying on from memory`);
    };
    try {
      return SqlitePersistence.open(path, { onWriteError, redeliveryFlags: true });
    } catch (err) {
      // The broker's state is worth less than a running broker: keep the damaged file, start afresh.
      const aside = `${path}.corrupt-${new Date(this.#options.clock.now()).toISOString().replace(/[:.]/g, '-')}`;
      logger.error({ err, path, movedTo: aside }, 'the MQTT broker database is unusable: moved aside, starting with an empty one');
      try {
        for (const suffix of ['', '-wal', '-shm']) if (existsSync(path + suffix)) renameSync(path + suffix, aside + suffix);
        return SqlitePersistence.open(path, { onWriteError, redeliveryFlags: true });
      } catch (again) {
        logger.error({ err: again, path }, 'no MQTT broker database: retained messages and sessions will not survive a restart');
        return undefined;
      }
    }
  }

  readonly #handle: ConnectionHandler = (stream, request) => this.#broker?.handle(stream, request);

  async #bind(endpoint: Endpoint, port: number): Promise<void> {
    const { host, portInUse, logger } = this.#options;
    const listen = endpoint === 'tcp' ? listenTcp : listenWebSocket;
    const candidates = portInUse === 'next_free' && port !== 0 ? [...Array.from({ length: 21 }, (_, i) => port + i), 0] : [port];
    let failure: ErrnoLike | undefined;
    for (const candidate of candidates) {
      if (this.#stopped) return;
      try {
        const listener = await listen(this.#handle, host, candidate);
        if (this.#stopped) {
          await listener.close();
          return;
        }
        this.#listeners.set(endpoint, listener);
        this.#retries.delete(endpoint);
        if (endpoint === 'tcp') this.#state = 'listening';
        const url = endpoint === 'tcp' ? this.status().url : this.status().websocketUrl;
        const moved = candidate !== port ? ` (port ${port} is in use, so simulate mode took the next free one)` : '';
        logger.info({ endpoint, host, port: listener.port, url }, `MQTT broker listening on ${url ?? `${host}:${listener.port}`}${moved}`);
        return;
      } catch (err) {
        failure = err as ErrnoLike;
        if (failure.code !== 'EADDRINUSE') break;
      }
    }
    await this.#report(endpoint, port, failure ?? {});
    this.#scheduleRetry(endpoint, port);
  }

  async #report(endpoint: Endpoint, port: number, err: ErrnoLike): Promise<void> {
    const { host, logger } = this.#options;
    const setting = endpoint === 'tcp' ? 'mqtt.port' : 'mqtt.websocketPort';
    const envVar = endpoint === 'tcp' ? 'EASYGAS_MQTT_PORT' : 'EASYGAS_MQTT_WEBSOCKET_PORT';
    const attempt = this.#retries.get(endpoint)?.attempt ?? 0;
    const retryInMs = this.#delay(attempt);
    const later = `Sampling and alarms carry on without MQTT; the gateway tries port ${port} again in ${Math.round(retryInMs / 1000)} s.`;
    let message: string;
    let hint: string;
    let code: string;
    if (err.code === 'EADDRINUSE') {
      const by = (await probeMqtt(host, port)) ? ' by another MQTT broker (Mosquitto?)' : ' by another program';
      const alternative =
        endpoint === 'tcp'
          ? `, or set mqtt.mode: external with mqtt.url: mqtt://127.0.0.1:${port} to report through the broker already there`
          : ', or remove mqtt.websocketPort';
      const error = createError('EASYGAS_PORT_IN_USE', { port, by, setting, envVar, alternative });
      ({ message, hint, code } = error);
      if (endpoint === 'tcp') this.#state = 'port_in_use';
    } else {
      code = err.code ?? 'EMQTTLISTEN';
      message = `cannot listen on ${host}:${port} for MQTT: ${err.message ?? code}`;
      hint =
        err.code === 'EACCES'
          ? `Ports below 1024 need root: use 1883 (${setting}).`
          : err.code === 'EADDRNOTAVAIL'
            ? `mqtt.host (${host}) is not an address of this machine: use 0.0.0.0 for every interface.`
            : `Check ${setting} and mqtt.host.`;
      if (endpoint === 'tcp') this.#state = 'unavailable';
    }
    this.#lastError = `${message}. ${hint}`;
    const suppressed = this.#throttle.admit(`listen:${endpoint}:${code}`);
    if (suppressed !== undefined) logger.error({ code, endpoint, port, hint, retryInMs, suppressed }, `${message}. ${hint} ${later}`);
  }

  #delay(attempt: number): number {
    const delays = this.#options.retryDelaysMs ?? DEFAULT_RETRY_MS;
    return delays[Math.min(attempt, delays.length - 1)] ?? 300_000;
  }

  #scheduleRetry(endpoint: Endpoint, port: number): void {
    if (this.#stopped) return;
    const attempt = this.#retries.get(endpoint)?.attempt ?? 0;
    const timer = this.#options.clock.setTimeout(() => {
      void this.#bind(endpoint, port);
    }, this.#delay(attempt));
    this.#retries.set(endpoint, { timer, attempt: attempt + 1 });
  }

  // --- authentication and access control --------------------------------------------

  #authenticate(
    client: Client,
    username: string | undefined,
    password: Buffer | undefined,
    done: (error: (Error & { returnCode: number }) | null, success: boolean | null) => void,
  ): void {
    const address = remoteAddress(client);
    if (this.#sessionWithoutId.has(client)) {
      // CONNACK 2, identifier rejected: a session kept for nobody in particular could never be resumed.
      this.#refused('an empty client id with clean session 0 (a persistent session needs a client id)', 2, username, address, done);
      return;
    }
    this.#options.authenticator.authenticate(username, password).then(
      (result) => {
        if (!result.ok) {
          this.#refused(result.reason, result.returnCode, username, address, done);
          return;
        }
        // A will is published on the client's behalf later: it must be a topic the client may use now.
        const rights = this.#options.policy.rightsOf(result.principal, client.id);
        const will = (client as unknown as { _will?: { topic?: string; retain?: boolean } | null })._will;
        if (will?.topic !== undefined) {
          const decision = this.#options.policy.canPublish(rights, will.topic, will.retain === true);
          if (!decision.allowed) {
            this.#refused(`its last will: ${decision.reason}`, 5, username, address, done);
            return;
          }
        }
        this.#rights.set(client, rights);
        done(null, true);
      },
      (err: unknown) => {
        this.#options.logger.error({ err }, 'MQTT login check failed');
        done(Object.assign(new Error('login check failed'), { returnCode: 3 }), false);
      },
    );
  }

  #refused(
    reason: string,
    returnCode: number,
    username: string | undefined,
    address: string,
    done: (error: (Error & { returnCode: number }) | null, success: boolean | null) => void,
  ): void {
    this.#refusedLogins++;
    const suppressed = this.#throttle.admit(`login:${username ?? ''}:${address}`);
    if (suppressed !== undefined) {
      this.#options.logger.warn({ username: username ?? null, address, suppressed }, `MQTT login refused from ${address}: ${reason}`);
    }
    done(Object.assign(new Error(reason), { returnCode }), false);
  }

  #authorizePublish(client: Client | null, topic: string, payload: Buffer | string, retain: boolean): Error | null {
    // A will left by a client of an earlier run (after a crash); it was checked when that client connected.
    if (client === null) return null;
    const rights = this.#rights.get(client);
    if (rights === undefined) return new Error('not logged in');
    const { principal } = rights;
    const bytes = typeof payload === 'string' ? Buffer.byteLength(payload) : payload.length;
    const { maxPayloadBytes, policy } = this.#options;
    if (bytes > maxPayloadBytes) {
      if (this.#options.isNodeReading(topic)) this.#options.onOversized?.(topic, bytes);
      return this.#denied(principal, `a ${bytes}-byte message on ${topic}, more than mqtt.maxPayloadBytes (${maxPayloadBytes})`);
    }
    const decision = policy.canPublish(rights, topic, retain);
    return decision.allowed ? null : this.#denied(principal, decision.reason);
  }

  #denied(principal: ClientRights['principal'], reason: string): Error {
    this.#deniedPublishes++;
    const suppressed = this.#throttle.admit(`publish:${describePrincipal(principal)}`);
    if (suppressed !== undefined) this.#options.logger.warn({ suppressed }, `MQTT publish refused, client disconnected: ${reason}`);
    return new Error(reason);
  }

  #authorizeSubscribe(client: Client, filter: string): boolean {
    const rights = this.#rights.get(client);
    if (rights !== undefined && this.#options.policy.canSubscribe(rights, filter)) return true;
    this.#deniedSubscriptions++;
    const who = rights === undefined ? 'a client' : describePrincipal(rights.principal);
    const suppressed = this.#throttle.admit(`subscribe:${who}`);
    if (suppressed !== undefined) this.#options.logger.warn({ filter, suppressed }, `MQTT subscription refused: ${who} may not read ${filter}`);
    return false;
  }

  #mayReceive(client: Client, topic: string): boolean {
    const rights = this.#rights.get(client);
    return rights !== undefined && this.#options.policy.canRead(rights, topic);
  }
}

function remoteAddress(client: Client): string {
  const socket = client.conn as { remoteAddress?: string };
  return socket.remoteAddress ?? client.req?.socket.remoteAddress ?? 'unknown address';
}
