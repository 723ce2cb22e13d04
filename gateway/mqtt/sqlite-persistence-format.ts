/**
 * The on-disk shape of the gateway broker's SQLite persistence: the packet and
 * session types aedes hands over, the schema, the prepared statements and the packet
 * codec. Kept apart from the in-memory state machine in sqlite-persistence.ts.
 */
import { createRequire } from 'node:module';
import { deserialize, serialize } from 'node:v8';
import type Database from 'better-sqlite3';
import { deliveryQos, type Subscriptions } from './delivery-qos.js';

/** A packet as aedes hands it over: mqtt-packet fields plus brokerId/brokerCounter. */
export type StoredPacket = Record<string, unknown> & {
  topic?: string;
  payload?: Buffer | string;
  qos?: number;
  messageId?: number;
  brokerId?: string;
  brokerCounter?: number;
  clientId?: string;
};

export interface ClientRef {
  readonly id: string;
}

export interface Subscription {
  readonly topic: string;
  readonly qos: number;
  readonly rh?: number;
  readonly rap?: boolean;
  readonly nl?: boolean;
  readonly subscriptionIdentifier?: number;
}

export interface SubRecord {
  qos: number;
  rh: number | undefined;
  rap: boolean | undefined;
  nl: boolean | undefined;
  subscriptionIdentifier?: number;
}

export interface MatchedSub {
  readonly clientId: string;
  readonly topic: string;
  readonly qos: number;
  readonly rh: number | undefined;
  readonly rap: boolean | undefined;
  readonly nl: boolean | undefined;
}

export interface Queued {
  rowId: number | undefined;
  packet: StoredPacket;
}

export interface SqlitePersistenceOptions {
  /** Called when a write to the file fails (the state carries on in memory). */
  readonly onWriteError?: (err: unknown, what: string) => void;
  /** Messages kept for one offline client before the oldest are dropped (default 10 000). */
  readonly maxQueuedPerClient?: number;
  /**
   * The broker's use: queued PUBLISHes stream out as they must be resent (see
   * `redelivery`), because aedes sends them as they come. Off, they stream as stored,
   * as the persistence contract (aedes-persistence's abstract suite) expects.
   */
  readonly redeliveryFlags?: boolean;
}

// aedes' own Packet constructor (via aedes-persistence, a direct dependency): queued
// packets must look exactly like those of the in-memory persistence.
const require = createRequire(import.meta.url);
export const { Packet } = require('aedes-persistence') as { Packet: new (original: object) => StoredPacket };

export const SCHEMA = `
  CREATE TABLE IF NOT EXISTS retained (topic TEXT PRIMARY KEY, packet BLOB NOT NULL);
  CREATE TABLE IF NOT EXISTS subscriptions (
    client_id TEXT NOT NULL, topic TEXT NOT NULL, qos INTEGER NOT NULL, options TEXT NOT NULL,
    PRIMARY KEY (client_id, topic));
  CREATE TABLE IF NOT EXISTS outgoing (id INTEGER PRIMARY KEY AUTOINCREMENT, client_id TEXT NOT NULL, packet BLOB NOT NULL);
  CREATE INDEX IF NOT EXISTS outgoing_by_client ON outgoing (client_id, id);
  CREATE TABLE IF NOT EXISTS incoming (
    client_id TEXT NOT NULL, message_id INTEGER NOT NULL, packet BLOB NOT NULL, PRIMARY KEY (client_id, message_id));
  CREATE TABLE IF NOT EXISTS wills (client_id TEXT PRIMARY KEY, packet BLOB NOT NULL);
`;

export const encode = (packet: object): Buffer => serialize(packet);

/**
 * A queued PUBLISH as it goes out when its client is back, where aedes sends it as
 * stored: with DUP set when it was sent before (it has a message id: MQTT-3.3.1-1),
 * and at no more than the QoS of the client's matching subscriptions (MQTT-3.8.4-6).
 */
export function redelivery(packet: StoredPacket, subscriptions: Subscriptions | undefined): StoredPacket {
  if (packet.cmd !== 'publish' || packet.topic === undefined) return packet;
  const published = packet.qos ?? 0;
  const qos = subscriptions === undefined ? published : deliveryQos(subscriptions, packet.topic, published);
  const dup = packet.messageId !== undefined;
  if (qos === published && dup === (packet.dup === true)) return packet;
  return Object.assign(Object.create(Object.getPrototypeOf(packet) as object) as StoredPacket, packet, { qos, dup });
}
export const decode = (blob: Buffer): StoredPacket => deserialize(blob) as StoredPacket;

export function prepare(db: Database.Database) {
  return {
    putRetained: db.prepare('INSERT INTO retained (topic, packet) VALUES (?, ?) ON CONFLICT (topic) DO UPDATE SET packet = excluded.packet'),
    delRetained: db.prepare('DELETE FROM retained WHERE topic = ?'),
    putSub: db.prepare(
      'INSERT INTO subscriptions (client_id, topic, qos, options) VALUES (?, ?, ?, ?) ' +
        'ON CONFLICT (client_id, topic) DO UPDATE SET qos = excluded.qos, options = excluded.options',
    ),
    delSub: db.prepare('DELETE FROM subscriptions WHERE client_id = ? AND topic = ?'),
    delSubsOf: db.prepare('DELETE FROM subscriptions WHERE client_id = ?'),
    addOutgoing: db.prepare('INSERT INTO outgoing (client_id, packet) VALUES (?, ?)'),
    setOutgoing: db.prepare('UPDATE outgoing SET packet = ? WHERE id = ?'),
    delOutgoing: db.prepare('DELETE FROM outgoing WHERE id = ?'),
    putIncoming: db.prepare(
      'INSERT INTO incoming (client_id, message_id, packet) VALUES (?, ?, ?) ON CONFLICT (client_id, message_id) DO UPDATE SET packet = excluded.packet',
    ),
    delIncoming: db.prepare('DELETE FROM incoming WHERE client_id = ? AND message_id = ?'),
    delIncomingOf: db.prepare('DELETE FROM incoming WHERE client_id = ?'),
    putWill: db.prepare('INSERT INTO wills (client_id, packet) VALUES (?, ?) ON CONFLICT (client_id) DO UPDATE SET packet = excluded.packet'),
    delWill: db.prepare('DELETE FROM wills WHERE client_id = ?'),
  };
}
