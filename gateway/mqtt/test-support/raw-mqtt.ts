/**
 * An MQTT 3.1.1 client at the packet level, for the conformance cases a complete
 * client hides: a CONNECT the spec forbids, a PUBLISH left unacknowledged to see it
 * redelivered, a client that goes silent to test keepalive. Packets are encoded and
 * parsed with mqtt-packet; what to send and when is up to the test.
 */
import { connect as tcpConnect, type Socket } from 'node:net';
import mqttPacket, { type IConnectPacket, type Packet } from 'mqtt-packet';

export class RawMqttClient {
  readonly received: Packet[] = [];
  readonly #socket: Socket;
  readonly #waiters = new Set<() => void>();
  #closed = false;
  readonly closed: Promise<void>;

  private constructor(socket: Socket) {
    this.#socket = socket;
    const parser = mqttPacket.parser({ protocolVersion: 4 });
    parser.on('packet', (packet: Packet) => {
      this.received.push(packet);
      this.#wake();
    });
    socket.on('data', (chunk: Buffer) => parser.parse(chunk));
    this.closed = new Promise((resolve) => {
      socket.once('close', () => {
        this.#closed = true;
        this.#wake();
        resolve();
      });
    });
    socket.on('error', () => undefined); // a broker closing on us is what some tests want
  }

  static async open(port: number, host = '127.0.0.1'): Promise<RawMqttClient> {
    const socket = tcpConnect({ host, port });
    await new Promise<void>((resolve, reject) => {
      socket.once('connect', resolve);
      socket.once('error', reject);
    });
    return new RawMqttClient(socket);
  }

  /** Opens a connection and sends CONNECT; resolves with the CONNACK's return code. */
  static async connect(port: number, connect: Omit<IConnectPacket, 'cmd'>): Promise<{ client: RawMqttClient; returnCode: number; sessionPresent: boolean }> {
    const client = await RawMqttClient.open(port);
    const packet: IConnectPacket = { cmd: 'connect', protocolId: 'MQTT', protocolVersion: 4, keepalive: 60, ...connect };
    if (connect.clientId === '' && connect.clean === false) client.#write(forbiddenConnect(packet));
    else client.send(packet);
    const connack = await client.next('connack');
    return { client, returnCode: connack.returnCode ?? -1, sessionPresent: connack.sessionPresent };
  }

  get isClosed(): boolean {
    return this.#closed;
  }

  send(packet: Packet): void {
    this.#write(mqttPacket.generate(packet));
  }

  #write(bytes: Buffer): void {
    this.#socket.write(bytes);
  }

  #wake(): void {
    for (const w of this.#waiters) w();
  }

  /** Resolves with the first packet (from index `from` on) that `accept` takes; rejects after the timeout or on close. */
  async until<T extends Packet>(what: string, accept: (p: Packet) => p is T, timeoutMs = 10_000, from = 0): Promise<T> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const found = this.received.slice(from).find(accept);
      if (found !== undefined) return found;
      if (this.#closed) throw new Error(`the broker closed the connection before ${what}; got ${this.#describe()}`);
      const left = deadline - Date.now();
      if (left <= 0) throw new Error(`no ${what} within ${timeoutMs} ms; got ${this.#describe()}`);
      await new Promise<void>((resolve) => {
        const timer = setTimeout(done, left);
        const waiters = this.#waiters;
        function done(): void {
          clearTimeout(timer);
          waiters.delete(done);
          resolve();
        }
        waiters.add(done);
      });
    }
  }

  next<C extends Packet['cmd']>(cmd: C, timeoutMs?: number, from?: number): Promise<Extract<Packet, { cmd: C }>> {
    return this.until(cmd, (p): p is Extract<Packet, { cmd: C }> => p.cmd === cmd, timeoutMs, from);
  }

  /** Resolves once the broker has closed the connection; rejects after the timeout. */
  async waitClosed(timeoutMs = 10_000): Promise<void> {
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<never>((_, reject) => {
      timer = setTimeout(() => reject(new Error(`the broker did not close the connection within ${timeoutMs} ms`)), timeoutMs);
    });
    try {
      await Promise.race([this.closed, timeout]);
    } finally {
      clearTimeout(timer);
    }
  }

  #describe(): string {
    return this.received.map((p) => p.cmd + ('topic' in p ? ` ${String(p.topic)}` : '')).join(', ') || 'nothing';
  }

  /** Drops the connection without DISCONNECT (the last will fires). */
  destroy(): void {
    this.#socket.destroy();
  }

  /** DISCONNECT, then close (no last will). */
  async end(): Promise<void> {
    if (this.#closed) return;
    this.send({ cmd: 'disconnect' });
    this.#socket.end();
    await this.closed;
  }
}

/**
 * A CONNECT with an empty client id and clean session 0, which mqtt-packet refuses to
 * encode (MQTT-3.1.3-8 forbids it): encoded with clean session 1, then the flag cleared.
 */
function forbiddenConnect(packet: IConnectPacket): Buffer {
  const bytes = mqttPacket.generate({ ...packet, clean: true });
  // Fixed header (type, one length byte for a short packet), "MQTT" with its length, the level, then the flags.
  if ((bytes[1] ?? 0) >= 0x80) throw new Error('a CONNECT this long is not needed here');
  const flags = 2 + 6 + 1;
  bytes[flags] = (bytes[flags] ?? 0) & ~0x02;
  return bytes;
}
