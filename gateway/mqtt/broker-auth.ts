/**
 * CONNECT authentication for the embedded broker: users from the config, their
 * scrypt hashes checked with node:crypto (constant-time; an unknown user costs the
 * same as a wrong password, so user names cannot be probed by timing), anonymous
 * clients only when allowAnonymous. Checks run at most a few at a time, so a flood
 * of bad logins cannot take the Pi's memory (scrypt is memory-hard on purpose); a
 * node that reconnects with the right password is recognised from a digest cache.
 */
import { createHash, randomBytes } from 'node:crypto';
import type { Principal } from './access-policy.js';
import { DEFAULT_SCRYPT, parseScryptHash, verifyPassword, type ParsedHash } from './password-hash.js';

export interface MqttUserConfig {
  readonly username: string;
  readonly passwordHash: string;
  readonly nodes?: readonly string[];
}

export interface AuthenticatorOptions {
  readonly users: readonly MqttUserConfig[];
  readonly allowAnonymous: boolean;
  /** scrypt checks running at once (default 2). */
  readonly maxConcurrent?: number;
  /** Checks allowed to wait for a slot before new logins are turned away (default 32). */
  readonly maxWaiting?: number;
}

/** MQTT 3.1.1 CONNACK codes: 3 server unavailable, 4 bad user name or password, 5 not authorised. */
export type AuthResult =
  | { readonly ok: true; readonly principal: Principal }
  | { readonly ok: false; readonly returnCode: 3 | 4 | 5; readonly reason: string };

interface User {
  readonly principal: Principal;
  readonly hash: ParsedHash | undefined;
}

export class Authenticator {
  readonly #users = new Map<string, User>();
  readonly #allowAnonymous: boolean;
  readonly #maxConcurrent: number;
  readonly #maxWaiting: number;
  /** sha256 of passwords already verified, per user: a reconnecting node skips scrypt. */
  readonly #verified = new Map<string, Set<string>>();
  readonly #waiting: (() => void)[] = [];
  /** Verifications under way, by user and password digest. */
  readonly #inFlight = new Map<string, Promise<boolean>>();
  readonly #decoy: ParsedHash;
  #running = 0;

  constructor(options: AuthenticatorOptions) {
    this.#allowAnonymous = options.allowAnonymous;
    this.#maxConcurrent = options.maxConcurrent ?? 2;
    this.#maxWaiting = options.maxWaiting ?? 32;
    for (const user of options.users) {
      this.#users.set(user.username, {
        principal: { kind: 'user', username: user.username, nodes: user.nodes ?? [] },
        hash: parseScryptHash(user.passwordHash),
      });
    }
    // Unknown users are checked against this, with the cost of a real user's hash.
    const first = [...this.#users.values()].find((u) => u.hash !== undefined)?.hash;
    this.#decoy = { params: first?.params ?? DEFAULT_SCRYPT, salt: randomBytes(16), hash: randomBytes(first?.hash.length ?? 32) };
  }

  async authenticate(username: string | undefined, password: Buffer | undefined): Promise<AuthResult> {
    if (username === undefined || username === '') {
      if (password !== undefined && password.length > 0) return { ok: false, returnCode: 4, reason: 'a password without a user name' };
      return this.#allowAnonymous
        ? { ok: true, principal: { kind: 'anonymous' } }
        : { ok: false, returnCode: 5, reason: 'anonymous access is off (mqtt.allowAnonymous: false)' };
    }
    const user = this.#users.get(username);
    const secret = password ?? Buffer.alloc(0);
    const digest = createHash('sha256').update(secret).digest('hex');
    if (user !== undefined && this.#verified.get(username)?.has(digest) === true) return { ok: true, principal: user.principal };
    // Nodes sharing a user all reconnect at once after a broker restart: one scrypt answers them all.
    const key = `${username}\u0000${digest}`;
    let verification = this.#inFlight.get(key);
    if (verification === undefined) {
      if (this.#running >= this.#maxConcurrent && this.#waiting.length >= this.#maxWaiting) {
        return { ok: false, returnCode: 3, reason: 'too many logins at once' };
      }
      verification = this.#verify(secret, user?.hash ?? this.#decoy);
      this.#inFlight.set(key, verification);
      void verification.finally(() => this.#inFlight.delete(key)).catch(() => undefined);
    }
    const matches = await verification;
    if (user === undefined || user.hash === undefined || !matches) {
      return { ok: false, returnCode: 4, reason: user === undefined ? `unknown user "${username}"` : `wrong password for "${username}"` };
    }
    const known = this.#verified.get(username) ?? new Set<string>();
    if (known.size >= 4) known.clear();
    known.add(digest);
    this.#verified.set(username, known);
    return { ok: true, principal: user.principal };
  }

  async #verify(secret: Buffer, hash: ParsedHash): Promise<boolean> {
    await this.#slot();
    try {
      return await verifyPassword(secret, hash);
    } finally {
      this.#release();
    }
  }

  #slot(): Promise<void> {
    if (this.#running < this.#maxConcurrent) {
      this.#running++;
      return Promise.resolve();
    }
    return new Promise((resolve) => this.#waiting.push(resolve));
  }

  #release(): void {
    const next = this.#waiting.shift();
    if (next !== undefined) next(); // the slot passes straight on
    else this.#running--;
  }
}
