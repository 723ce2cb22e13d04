/**
 * The configured topic rights (mqtt.users[].topics, anonymousTopics, patterns), with
 * Mosquitto's acl_file semantics. Pure.
 *
 * - A client gets its user's `topics` (anonymous clients: `anonymousTopics`) and every
 *   `pattern`, with `%u` replaced by its user name and `%c` by its client id. A
 *   pattern naming %u does not apply to an anonymous client; a user name or client id
 *   that is empty or holds `/`, `+` or `#` matches no pattern (it could reach other
 *   levels: Mosquitto's CVE-2017-7650).
 * - `deny` rules are checked first and win.
 * - Publishing needs a write or readwrite rule matching the topic. Subscribing needs a
 *   read or readwrite rule whose topic covers the whole filter, and is refused when
 *   the filter lies within a deny rule; each message delivered is checked again
 *   against the reader's rules, so a deny carved out of a wider grant holds.
 * The rules are resolved once per connection (`forClient`); the checks that run per
 * message then do no substitution.
 */
import type { AclRule } from '../config/schema/mqtt-acl.js';
import { filterWithin, topicMatches } from './topic-filter.js';

export interface AclConfig {
  readonly users: ReadonlyMap<string, readonly AclRule[]>;
  readonly anonymous: readonly AclRule[];
  readonly patterns: readonly AclRule[];
}

/** What a rule set says about one topic or filter: no rule matched, a grant, or a deny. */
export type AclVerdict = 'none' | 'allow' | 'deny';

/** One client's rules, substituted. */
export class ClientAcl {
  static readonly EMPTY = new ClientAcl([], [], []);

  readonly #denies: readonly string[];
  readonly #reads: readonly string[];
  readonly #writes: readonly string[];

  constructor(denies: readonly string[], reads: readonly string[], writes: readonly string[]) {
    this.#denies = denies;
    this.#reads = reads;
    this.#writes = writes;
  }

  get empty(): boolean {
    return this.#denies.length === 0 && this.#reads.length === 0 && this.#writes.length === 0;
  }

  /** A PUBLISH to `topic`. */
  write(topic: string): AclVerdict {
    if (this.#denies.some((d) => topicMatches(d, topic))) return 'deny';
    return this.#writes.some((w) => topicMatches(w, topic)) ? 'allow' : 'none';
  }

  /** A message on `topic` delivered to this client. */
  read(topic: string): AclVerdict {
    if (this.#denies.some((d) => topicMatches(d, topic))) return 'deny';
    return this.#reads.some((r) => topicMatches(r, topic)) ? 'allow' : 'none';
  }

  /** A SUBSCRIBE to `filter`: granted only by a rule covering all of it. */
  subscribe(filter: string): AclVerdict {
    if (this.#denies.some((d) => filterWithin(filter, d))) return 'deny';
    return this.#reads.some((r) => filterWithin(filter, r)) ? 'allow' : 'none';
  }
}

/** A value that may stand for one topic level, and only one. */
function usableLevel(value: string | undefined): value is string {
  return value !== undefined && value !== '' && !/[/+#]/.test(value);
}

function substitute(rule: AclRule, username: string | undefined, clientId: string): AclRule | undefined {
  const levels: string[] = [];
  for (const level of rule.topic.split('/')) {
    if (level === '%u' || level === '%c') {
      const value = level === '%u' ? username : clientId;
      if (!usableLevel(value)) return undefined;
      levels.push(value);
    } else {
      levels.push(level);
    }
  }
  return { access: rule.access, topic: levels.join('/') };
}

export class TopicAcl {
  static readonly NONE = new TopicAcl({ users: new Map(), anonymous: [], patterns: [] });

  readonly #config: AclConfig;

  constructor(config: AclConfig) {
    this.#config = config;
  }

  /** The rules of a client that logged in as `username` (undefined: anonymous) with `clientId`. */
  forClient(username: string | undefined, clientId: string): ClientAcl {
    const own = username === undefined ? this.#config.anonymous : (this.#config.users.get(username) ?? []);
    const patterns = this.#config.patterns.flatMap((p) => substitute(p, username, clientId) ?? []);
    const rules = [...own, ...patterns];
    if (rules.length === 0) return ClientAcl.EMPTY;
    const topicsWith = (...access: AclRule['access'][]): string[] => rules.filter((r) => access.includes(r.access)).map((r) => r.topic);
    return new ClientAcl(topicsWith('deny'), topicsWith('read', 'readwrite'), topicsWith('write', 'readwrite'));
  }
}
