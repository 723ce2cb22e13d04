/**
 * An aedes 1.x persistence on SQLite (`<dataDir>/mqtt.db`): retained messages, QoS 1+
 * sessions (subscriptions, queued and in-flight messages) and wills survive a
 * restart. The state lives in memory with exactly the semantics of
 * aedes-persistence's in-memory store (whose abstract test suite runs against this
 * class); every change is written through to SQLite (WAL, synchronous=NORMAL: a
 * power cut may lose the last writes, never the file) and read back on open. A
 * failed write is counted and reported, never thrown into the broker: MQTT carries
 * on from memory, because it is reporting, not protection.
 */
/* eslint-disable @typescript-eslint/require-await -- the aedes 1.x persistence API is async by contract; this store answers from memory */
import { Readable } from 'node:stream';
import Database from 'better-sqlite3';
import { SubscriptionTrie } from './subscription-trie.js';
import { topicMatches } from './topic-filter.js';
import {
  Packet, SCHEMA, decode, encode, prepare, redelivery,
  type ClientRef, type MatchedSub, type Queued, type SqlitePersistenceOptions, type StoredPacket, type SubRecord, type Subscription,
} from './sqlite-persistence-format.js';

export type { SqlitePersistenceOptions, StoredPacket, Subscription } from './sqlite-persistence-format.js';

export class SqlitePersistence {
  readonly path: string;
  readonly #db: Database.Database;
  readonly #stmt: ReturnType<typeof prepare>;
  readonly #options: SqlitePersistenceOptions;
  readonly #retained = new Map<string, StoredPacket>();
  readonly #subscriptions = new Map<string, Map<string, SubRecord>>();
  readonly #trie = new SubscriptionTrie<MatchedSub>();
  readonly #outgoing = new Map<string, Queued[]>();
  readonly #incoming = new Map<string, Map<number, StoredPacket>>();
  readonly #wills = new Map<string, StoredPacket>();
  #broker: { id: string } | undefined;
  #destroyed = false;
  #writeErrors = 0;
  #dropped = 0;

  /** Opens (or creates) the file and loads its state; throws when the file is unusable. */
  static open(path: string, options: SqlitePersistenceOptions = {}): SqlitePersistence {
    const db = new Database(path);
    try {
      return new SqlitePersistence(db, path, options);
    } catch (err) {
      db.close();
      throw err;
    }
  }

  private constructor(db: Database.Database, path: string, options: SqlitePersistenceOptions) {
    this.path = path;
    this.#db = db;
    this.#options = options;
    db.pragma('journal_mode = WAL');
    db.pragma('synchronous = NORMAL');
    db.pragma('busy_timeout = 1000');
    db.pragma('cache_size = -256'); // a few retained messages and sessions: 256 KiB of cache is plenty
    db.exec(SCHEMA);
    this.#stmt = prepare(db);
    this.#load();
  }

  #load(): void {
    for (const row of this.#db.prepare('SELECT topic, packet FROM retained ORDER BY rowid').all() as { topic: string; packet: Buffer }[]) {
      this.#retained.set(row.topic, decode(row.packet));
    }
    const subs = this.#db.prepare('SELECT client_id, topic, qos, options FROM subscriptions ORDER BY rowid').all() as {
      client_id: string; topic: string; qos: number; options: string;
    }[];
    for (const row of subs) {
      const o = JSON.parse(row.options) as Omit<SubRecord, 'qos'>;
      this.#setSub(row.client_id, { topic: row.topic, qos: row.qos, ...o });
    }
    for (const row of this.#db.prepare('SELECT id, client_id, packet FROM outgoing ORDER BY id').all() as { id: number; client_id: string; packet: Buffer }[]) {
      this.#queueOf(row.client_id).push({ rowId: row.id, packet: decode(row.packet) });
    }
    for (const row of this.#db.prepare('SELECT client_id, message_id, packet FROM incoming').all() as { client_id: string; message_id: number; packet: Buffer }[]) {
      this.#incomingOf(row.client_id).set(row.message_id, decode(row.packet));
    }
    for (const row of this.#db.prepare('SELECT client_id, packet FROM wills ORDER BY rowid').all() as { client_id: string; packet: Buffer }[]) {
      this.#wills.set(row.client_id, decode(row.packet));
    }
  }

  /** Failed writes and queued messages dropped for clients that never came back. */
  get stats(): { readonly writeErrors: number; readonly droppedQueued: number; readonly retained: number } {
    return { writeErrors: this.#writeErrors, droppedQueued: this.#dropped, retained: this.#retained.size };
  }

  /** For aedes-persistence's abstract tests, which read the broker back. */
  get broker(): { id: string } | undefined {
    return this.#broker;
  }

  async setup(broker: { id: string }): Promise<void> {
    this.#broker = broker;
  }

  #write<T>(what: string, fn: () => T): T | undefined {
    try {
      return fn();
    } catch (err) {
      this.#writeErrors++;
      this.#options.onWriteError?.(err, what);
      return undefined;
    }
  }

  // --- retained -------------------------------------------------------------------

  async storeRetained(original: StoredPacket): Promise<void> {
    const packet = { ...original };
    const topic = String(packet.topic);
    if ((packet.payload?.length ?? 0) === 0) {
      this.#retained.delete(topic);
      this.#write('retained', () => this.#stmt.delRetained.run(topic));
    } else {
      this.#retained.set(topic, packet);
      this.#write('retained', () => this.#stmt.putRetained.run(topic, encode(packet)));
    }
  }

  createRetainedStream(pattern: string): Readable {
    return this.createRetainedStreamCombi([pattern]);
  }

  createRetainedStreamCombi(patterns: readonly string[]): Readable {
    const found: StoredPacket[] = [];
    for (const pattern of patterns) {
      for (const [topic, packet] of this.#retained) if (topicMatches(pattern, topic)) found.push(packet);
    }
    return Readable.from(found);
  }

  // --- subscriptions --------------------------------------------------------------

  #setSub(clientId: string, sub: Subscription): void {
    let stored = this.#subscriptions.get(clientId);
    if (stored === undefined) {
      stored = new Map();
      this.#subscriptions.set(clientId, stored);
    }
    const record: SubRecord = { qos: sub.qos, rh: sub.rh, rap: sub.rap, nl: sub.nl };
    if (sub.subscriptionIdentifier !== undefined) record.subscriptionIdentifier = sub.subscriptionIdentifier;
    if (sub.qos > 0) {
      this.#trie.add(sub.topic, clientId, { clientId, topic: sub.topic, qos: sub.qos, rh: sub.rh, rap: sub.rap, nl: sub.nl });
    } else if ((stored.get(sub.topic)?.qos ?? 0) > 0) {
      this.#trie.remove(sub.topic, clientId);
    }
    stored.set(sub.topic, record);
  }

  async addSubscriptions(client: ClientRef, subs: readonly Subscription[]): Promise<void> {
    for (const sub of subs) this.#setSub(client.id, sub);
    this.#write('subscriptions', () =>
      this.#db.transaction(() => {
        const stored = this.#subscriptions.get(client.id);
        for (const sub of subs) {
          const r = stored?.get(sub.topic);
          if (r === undefined) continue;
          const { qos, ...options } = r;
          this.#stmt.putSub.run(client.id, sub.topic, qos, JSON.stringify(options));
        }
      })(),
    );
  }

  async removeSubscriptions(client: ClientRef, topics: readonly string[]): Promise<void> {
    const stored = this.#subscriptions.get(client.id);
    if (stored !== undefined) {
      for (const topic of topics) {
        const sub = stored.get(topic);
        if (sub === undefined) continue;
        if (sub.qos > 0) this.#trie.remove(topic, client.id);
        stored.delete(topic);
      }
      if (stored.size === 0) this.#subscriptions.delete(client.id);
      this.#write('subscriptions', () => this.#db.transaction(() => topics.forEach((t) => this.#stmt.delSub.run(client.id, t)))());
    }
  }

  async subscriptionsByClient(client: ClientRef): Promise<(SubRecord & { topic: string })[]> {
    const stored = this.#subscriptions.get(client.id);
    return stored === undefined ? [] : [...stored].map(([topic, record]) => ({ topic, ...record }));
  }

  async countOffline(): Promise<{ subsCount: number; clientsCount: number }> {
    return { subsCount: this.#trie.size, clientsCount: this.#subscriptions.size };
  }

  async subscriptionsByTopic(topic: string): Promise<MatchedSub[]> {
    return this.#trie.match(topic);
  }

  async cleanSubscriptions(client: ClientRef): Promise<void> {
    const stored = this.#subscriptions.get(client.id);
    if (stored !== undefined) {
      for (const [topic, sub] of stored) if (sub.qos > 0) this.#trie.remove(topic, client.id);
      this.#subscriptions.delete(client.id);
      this.#write('subscriptions', () => this.#stmt.delSubsOf.run(client.id));
    }
  }

  getClientList(topic: string): Readable {
    const ids: string[] = [];
    for (const [clientId, subs] of this.#subscriptions) if (subs.has(topic)) ids.push(clientId);
    return Readable.from(ids);
  }

  // --- outgoing (QoS 1+ deliveries, possibly offline) ------------------------------

  #queueOf(clientId: string): Queued[] {
    let queue = this.#outgoing.get(clientId);
    if (queue === undefined) {
      queue = [];
      this.#outgoing.set(clientId, queue);
    }
    return queue;
  }

  #enqueue(clientId: string, original: StoredPacket): void {
    const queue = this.#queueOf(clientId);
    const max = this.#options.maxQueuedPerClient ?? 10_000;
    while (queue.length >= max) {
      // A session that never comes back must not fill the SD card.
      const oldest = queue.shift();
      this.#dropped++;
      if (oldest?.rowId !== undefined) this.#write('outgoing', () => this.#stmt.delOutgoing.run(oldest.rowId));
    }
    const packet = new Packet(original);
    const entry: Queued = { rowId: undefined, packet };
    queue.push(entry);
    this.#write('outgoing', () => {
      entry.rowId = Number(this.#stmt.addOutgoing.run(clientId, encode(packet)).lastInsertRowid);
    });
  }

  async outgoingEnqueue(sub: { readonly clientId: string }, packet: StoredPacket): Promise<void> {
    this.#enqueue(sub.clientId, packet);
  }

  async outgoingEnqueueCombi(subs: readonly { readonly clientId: string }[], packet: StoredPacket): Promise<void> {
    // One copy per client, however many of its subscriptions match: outgoingStream gives it the highest of their QoS.
    const clients = new Set(subs.map((s) => s.clientId));
    const go = (): void => clients.forEach((clientId) => this.#enqueue(clientId, packet));
    try {
      this.#db.transaction(go)();
    } catch {
      go(); // the transaction itself failed (disk): #write inside counts each row
    }
  }

  #rewrite(entry: Queued): void {
    const { rowId } = entry;
    if (rowId !== undefined) this.#write('outgoing', () => this.#stmt.setOutgoing.run(encode(entry.packet), rowId));
  }

  async outgoingUpdate(client: ClientRef, packet: StoredPacket): Promise<void> {
    for (const entry of this.#queueOf(client.id)) {
      const queued = entry.packet;
      if (queued.brokerId === packet.brokerId) {
        if (queued.brokerCounter === packet.brokerCounter) {
          queued.messageId = packet.messageId;
          this.#rewrite(entry);
          return;
        }
        // Message ids wrap at 65535: the same id with another counter is another packet.
      } else if (queued.messageId === packet.messageId) {
        entry.packet = packet; // a PUBREL replaces its PUBLISH
        this.#rewrite(entry);
        return;
      }
    }
    throw new Error('no such packet');
  }

  async outgoingClearMessageId(client: ClientRef, packet: StoredPacket): Promise<StoredPacket | undefined> {
    const queue = this.#queueOf(client.id);
    const i = queue.findIndex((e) => e.packet.messageId === packet.messageId);
    if (i < 0) return undefined;
    const [entry] = queue.splice(i, 1);
    if (entry?.rowId !== undefined) {
      const { rowId } = entry;
      this.#write('outgoing', () => this.#stmt.delOutgoing.run(rowId));
    }
    return entry?.packet;
  }

  outgoingStream(client: ClientRef): Readable {
    // A copy: aedes clears entries while it streams them.
    const queued = (this.#outgoing.get(client.id) ?? []).map((e) => e.packet);
    if (this.#options.redeliveryFlags !== true) return Readable.from(queued);
    const subscriptions = this.#subscriptions.get(client.id);
    return Readable.from(queued.map((packet) => redelivery(packet, subscriptions)));
  }

  // --- incoming (QoS 2 handshakes) -------------------------------------------------

  #incomingOf(clientId: string): Map<number, StoredPacket> {
    let store = this.#incoming.get(clientId);
    if (store === undefined) {
      store = new Map();
      this.#incoming.set(clientId, store);
    }
    return store;
  }

  async incomingStorePacket(client: ClientRef, packet: StoredPacket): Promise<void> {
    const messageId = Number(packet.messageId);
    const stored = new Packet(packet);
    stored.messageId = messageId;
    this.#incomingOf(client.id).set(messageId, stored);
    this.#write('incoming', () => this.#stmt.putIncoming.run(client.id, messageId, encode(stored)));
  }

  async incomingGetPacket(client: ClientRef, packet: { readonly messageId?: number }): Promise<StoredPacket> {
    const found = packet.messageId === undefined ? undefined : this.#incoming.get(client.id)?.get(packet.messageId);
    if (found === undefined) throw new Error('no such packet');
    return found;
  }

  async incomingDelPacket(client: ClientRef, packet: { readonly messageId?: number }): Promise<void> {
    const store = this.#incoming.get(client.id);
    const { messageId } = packet;
    if (store === undefined || messageId === undefined || !store.delete(messageId)) throw new Error('no such packet');
    this.#write('incoming', () => this.#stmt.delIncoming.run(client.id, messageId));
  }

  async cleanIncoming(client: ClientRef): Promise<void> {
    if (this.#incoming.delete(client.id)) this.#write('incoming', () => this.#stmt.delIncomingOf.run(client.id));
  }

  // --- wills ----------------------------------------------------------------------

  async putWill(client: ClientRef, packet: StoredPacket): Promise<void> {
    packet.brokerId = this.#broker?.id;
    packet.clientId = client.id;
    this.#wills.set(client.id, packet);
    this.#write('wills', () => this.#stmt.putWill.run(client.id, encode(packet)));
  }

  async getWill(client: ClientRef): Promise<StoredPacket | undefined> {
    return this.#wills.get(client.id);
  }

  async delWill(client: ClientRef): Promise<StoredPacket | undefined> {
    const will = this.#wills.get(client.id);
    if (this.#wills.delete(client.id)) this.#write('wills', () => this.#stmt.delWill.run(client.id));
    return will;
  }

  /** Wills of clients whose broker is gone (a previous run of this gateway, after a crash). */
  streamWill(brokers: Readonly<Record<string, unknown>> = {}): Readable {
    return Readable.from([...this.#wills.values()].filter((w) => !brokers[String(w.brokerId)]));
  }

  async destroy(): Promise<void> {
    if (this.#destroyed) throw new Error('destroyed called twice!');
    this.#destroyed = true;
    this.#db.close();
  }
}
