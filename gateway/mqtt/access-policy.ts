/**
 * Who may publish and subscribe where on the embedded broker. Pure.
 *
 * - A node user (a user with `nodes:`) publishes and subscribes only under
 *   <base>/nodes/<one of its nodes>/#.
 * - Any other user is a client such as Home Assistant: it may subscribe to
 *   <base>/# and <prefix>/#, and publish the commands (never retained) and
 *   Home Assistant's <prefix>/status.
 * - Anonymous clients (only with allowAnonymous) have the client's rights and may
 *   publish for every node in the config.
 * Only the gateway itself (in-process) publishes states, discovery and its status;
 * no client may publish to $SYS.
 */
import { filterWithin, isValidFilter, isValidTopic } from './topic-filter.js';
import type { MqttTopics } from './topics.js';

export type Principal =
  | { readonly kind: 'user'; readonly username: string; readonly nodes: readonly string[] }
  | { readonly kind: 'anonymous' };

export type AccessDecision = { readonly allowed: true } | { readonly allowed: false; readonly reason: string };

const ALLOWED: AccessDecision = { allowed: true };

export function describePrincipal(principal: Principal): string {
  return principal.kind === 'anonymous' ? 'an anonymous client' : `user "${principal.username}"`;
}

export class AccessPolicy {
  readonly #topics: MqttTopics;
  readonly #configuredNodes: readonly string[];
  readonly #nodesPrefix: string;

  constructor(topics: MqttTopics, configuredNodes: readonly string[]) {
    this.#topics = topics;
    this.#configuredNodes = configuredNodes;
    this.#nodesPrefix = `${topics.nodesRoot}/`;
  }

  /** The node trees a principal may publish in. */
  nodesOf(principal: Principal): readonly string[] {
    return principal.kind === 'anonymous' ? this.#configuredNodes : principal.nodes;
  }

  #isClient(principal: Principal): boolean {
    return principal.kind === 'anonymous' || principal.nodes.length === 0;
  }

  canPublish(principal: Principal, topic: string, retain: boolean): AccessDecision {
    const who = describePrincipal(principal);
    if (!isValidTopic(topic) || topic.startsWith('$')) return { allowed: false, reason: `${who} may not publish to ${topic}` };
    const node = this.#nodeOf(topic);
    if (node !== undefined && this.nodesOf(principal).includes(node)) return ALLOWED;
    if (this.#isClient(principal)) {
      if (topic === this.#topics.haStatus) return ALLOWED;
      if (this.#topics.parseCommand(topic) !== undefined) {
        // A retained command would run again at every restart of the gateway.
        return retain ? { allowed: false, reason: `${who} sent a retained command on ${topic}: commands must not be retained` } : ALLOWED;
      }
      return { allowed: false, reason: `${who} may publish only commands (${this.#topics.commandFilter}) and ${this.#topics.haStatus}, not ${topic}` };
    }
    const trees = this.nodesOf(principal).map((n) => this.#topics.nodeTree(n));
    return { allowed: false, reason: `${who} may publish only under ${trees.join(', ')}, not ${topic}` };
  }

  /** <base>/nodes/<node>[/…] → <node>: one prefix test per publish, not one match per node (this runs for every reading). */
  #nodeOf(topic: string): string | undefined {
    const prefix = this.#nodesPrefix;
    if (!topic.startsWith(prefix)) return undefined;
    const end = topic.indexOf('/', prefix.length);
    const node = end < 0 ? topic.slice(prefix.length) : topic.slice(prefix.length, end);
    return node === '' ? undefined : node;
  }

  canSubscribe(principal: Principal, filter: string): boolean {
    if (!isValidFilter(filter)) return false;
    if (this.#isClient(principal)) {
      if (filterWithin(filter, `${this.#topics.base}/#`) || filterWithin(filter, `${this.#topics.discoveryPrefix}/#`)) return true;
    }
    return this.nodesOf(principal).some((node) => filterWithin(filter, this.#topics.nodeTree(node)));
  }
}
