/**
 * Who may publish and subscribe where on the embedded broker. Pure.
 *
 * The built-in rules, which hold with no ACL configured:
 * - A node user (a user with `nodes:`) publishes and subscribes only under
 *   <base>/nodes/<one of its nodes>/#.
 * - Any other user is a client such as Home Assistant: it may subscribe to
 *   <base>/# and <prefix>/#, and publish the commands (never retained) and
 *   Home Assistant's <prefix>/status.
 * - Anonymous clients (only with allowAnonymous) have the client's rights and may
 *   publish for every node in the config.
 * The configured ACL (topic-acl.ts) adds rights over the rest of the home's topics
 * (Zigbee2MQTT, Tasmota…), and its deny rules take rights away. What the gateway
 * owns stays its own whatever the ACL says: under <base>/ publishing follows the
 * built-in rules alone (states, status, alarms and events are the gateway's; node
 * readings need `nodes:`), and so does this gateway's discovery subtree
 * <prefix>/<component>/easygas_<gw>/…. Nobody publishes to a `$` topic.
 */
import { TopicAcl, type ClientAcl } from './topic-acl.js';
import { filterWithin, isValidFilter, isValidTopic, topicMatches } from './topic-filter.js';
import type { MqttTopics } from './topics.js';

export type Principal =
  | { readonly kind: 'user'; readonly username: string; readonly nodes: readonly string[] }
  | { readonly kind: 'anonymous' };

/** One connection's rights: who logged in, and the ACL rules resolved for its user name and client id. */
export interface ClientRights {
  readonly principal: Principal;
  readonly acl: ClientAcl;
}

export type AccessDecision = { readonly allowed: true } | { readonly allowed: false; readonly reason: string };

const ALLOWED: AccessDecision = { allowed: true };

export function describePrincipal(principal: Principal): string {
  return principal.kind === 'anonymous' ? 'an anonymous client' : `user "${principal.username}"`;
}

export class AccessPolicy {
  readonly #topics: MqttTopics;
  readonly #configuredNodes: readonly string[];
  readonly #nodesPrefix: string;
  readonly #acl: TopicAcl;
  /** Where only the built-in rules decide who publishes. */
  readonly #reserved: readonly string[];

  constructor(topics: MqttTopics, configuredNodes: readonly string[], acl: TopicAcl = TopicAcl.NONE) {
    this.#topics = topics;
    this.#configuredNodes = configuredNodes;
    this.#nodesPrefix = `${topics.nodesRoot}/`;
    this.#acl = acl;
    this.#reserved = [`${topics.base}/#`, `${topics.discoveryPrefix}/+/${topics.haNodeId}/#`];
  }

  /** The rights of a connection, resolved once when it logs in. */
  rightsOf(principal: Principal, clientId: string): ClientRights {
    return { principal, acl: this.#acl.forClient(principal.kind === 'user' ? principal.username : undefined, clientId) };
  }

  /** The node trees a principal may publish in. */
  nodesOf(principal: Principal): readonly string[] {
    return principal.kind === 'anonymous' ? this.#configuredNodes : principal.nodes;
  }

  #isClient(principal: Principal): boolean {
    return principal.kind === 'anonymous' || principal.nodes.length === 0;
  }

  canPublish(rights: ClientRights, topic: string, retain: boolean): AccessDecision {
    const { principal, acl } = rights;
    const who = describePrincipal(principal);
    if (!isValidTopic(topic) || topic.startsWith('$')) return { allowed: false, reason: `${who} may not publish to ${topic}` };
    const verdict = acl.write(topic);
    if (verdict === 'deny') return { allowed: false, reason: `${who} may not publish to ${topic}: a deny rule in the MQTT ACL covers it` };
    const reserved = this.#reserved.some((r) => topicMatches(r, topic));
    if (verdict === 'allow' && !reserved) return ALLOWED;
    const builtIn = this.#builtInPublish(principal, topic, retain);
    if (builtIn.allowed || !reserved || verdict === 'none') return builtIn;
    return { allowed: false, reason: `${builtIn.reason} (${topic} belongs to the gateway: no ACL rule gives it away)` };
  }

  #builtInPublish(principal: Principal, topic: string, retain: boolean): AccessDecision {
    const who = describePrincipal(principal);
    const node = this.#nodeOf(topic);
    if (node !== undefined && this.nodesOf(principal).includes(node)) return ALLOWED;
    if (this.#isClient(principal)) {
      if (topic === this.#topics.haStatus) return ALLOWED;
      if (this.#topics.parseCommand(topic) !== undefined) {
        // A retained command would run again at every restart of the gateway.
        return retain ? { allowed: false, reason: `${who} sent a retained command on ${topic}: commands must not be retained` } : ALLOWED;
      }
      return { allowed: false, reason: `${who} may publish only commands (${this.#topics.commandFilter}), ${this.#topics.haStatus} and what its ACL rules allow, not ${topic}` };
    }
    const trees = this.nodesOf(principal).map((n) => this.#topics.nodeTree(n));
    return { allowed: false, reason: `${who} may publish only under ${trees.join(', ')} and what its ACL rules allow, not ${topic}` };
  }

  /** <base>/nodes/<node>[/…] → <node>: one prefix test per publish, not one match per node (this runs for every reading). */
  #nodeOf(topic: string): string | undefined {
    const prefix = this.#nodesPrefix;
    if (!topic.startsWith(prefix)) return undefined;
    const end = topic.indexOf('/', prefix.length);
    const node = end < 0 ? topic.slice(prefix.length) : topic.slice(prefix.length, end);
    return node === '' ? undefined : node;
  }

  canSubscribe(rights: ClientRights, filter: string): boolean {
    if (!isValidFilter(filter)) return false;
    const verdict = rights.acl.subscribe(filter);
    if (verdict !== 'none') return verdict === 'allow';
    return this.#builtInRead(rights.principal, filter);
  }

  /** Whether a message on `topic` may reach this client (checked at every delivery, queued ones included). */
  canRead(rights: ClientRights, topic: string): boolean {
    const verdict = rights.acl.read(topic);
    if (verdict !== 'none') return verdict === 'allow';
    return this.#builtInRead(rights.principal, topic);
  }

  #builtInRead(principal: Principal, filter: string): boolean {
    if (this.#isClient(principal)) {
      if (filterWithin(filter, `${this.#topics.base}/#`) || filterWithin(filter, `${this.#topics.discoveryPrefix}/#`)) return true;
    }
    return this.nodesOf(principal).some((node) => filterWithin(filter, this.#topics.nodeTree(node)));
  }
}
