/**
 * Persistent-session subscriptions by topic filter, for the broker's
 * subscriptionsByTopic: which offline (or online) QoS 1+ sessions a publish must be
 * queued for. A trie over topic levels, walked in the order aedes' own in-memory
 * persistence returns matches: at each level `#` first, then the filters ending
 * here, then the literal level, then `+`.
 */

interface TrieNode<V> {
  readonly children: Map<string, TrieNode<V>>;
  /** Values of filters ending at this node, by client id (one per client and filter). */
  readonly values: Map<string, V>;
}

function node<V>(): TrieNode<V> {
  return { children: new Map(), values: new Map() };
}

export class SubscriptionTrie<V> {
  readonly #root: TrieNode<V> = node();
  #size = 0;

  get size(): number {
    return this.#size;
  }

  /** Adds (or replaces) the value of `clientId` for `filter`. */
  add(filter: string, clientId: string, value: V): void {
    let at = this.#root;
    for (const level of filter.split('/')) {
      let next = at.children.get(level);
      if (next === undefined) {
        next = node();
        at.children.set(level, next);
      }
      at = next;
    }
    if (!at.values.has(clientId)) this.#size++;
    at.values.set(clientId, value);
  }

  remove(filter: string, clientId: string): void {
    const path: TrieNode<V>[] = [this.#root];
    const levels = filter.split('/');
    for (const level of levels) {
      const next = path[path.length - 1]!.children.get(level);
      if (next === undefined) return;
      path.push(next);
    }
    const leaf = path[path.length - 1]!;
    if (!leaf.values.delete(clientId)) return;
    this.#size--;
    // Prune empty branches so a long-lived broker does not accumulate dead levels.
    for (let i = levels.length; i > 0; i--) {
      const n = path[i]!;
      if (n.values.size > 0 || n.children.size > 0) break;
      path[i - 1]!.children.delete(levels[i - 1]!);
    }
  }

  match(topic: string): V[] {
    const out: V[] = [];
    this.#match(this.#root, topic.split('/'), 0, out);
    return out;
  }

  #match(at: TrieNode<V>, words: readonly string[], i: number, out: V[]): void {
    const some = at.children.get('#');
    if (some !== undefined) for (const v of some.values.values()) out.push(v);
    if (i === words.length) {
      for (const v of at.values.values()) out.push(v);
      return;
    }
    const literal = at.children.get(words[i]!);
    if (literal !== undefined) this.#match(literal, words, i + 1, out);
    const one = at.children.get('+');
    if (one !== undefined) this.#match(one, words, i + 1, out);
  }
}
