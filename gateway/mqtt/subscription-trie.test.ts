import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { SubscriptionTrie } from './subscription-trie.js';

describe('SubscriptionTrie', () => {
  it('matches like aedes\' in-memory persistence, in the same order', () => {
    const trie = new SubscriptionTrie<string>();
    trie.add('hello', 'c1', 'hello');
    trie.add('hello/#', 'c1', 'hello/#');
    trie.add('+/world', 'c2', '+/world');
    trie.add('#', 'c3', '#');
    trie.add('matteo', 'c1', 'matteo');
    assert.deepEqual(trie.match('hello'), ['#', 'hello/#', 'hello']);
    assert.deepEqual(trie.match('hello/world'), ['#', 'hello/#', '+/world']);
    assert.deepEqual(trie.match('other'), ['#']);
    assert.equal(trie.size, 5);
  });

  it('replaces a client\'s value for the same filter, removes, and prunes empty branches', () => {
    const trie = new SubscriptionTrie<number>();
    trie.add('a/b/c', 'c1', 1);
    trie.add('a/b/c', 'c1', 2);
    trie.add('a/b/c', 'c2', 3);
    assert.deepEqual(trie.match('a/b/c'), [2, 3]);
    assert.equal(trie.size, 2);
    trie.remove('a/b/c', 'c1');
    trie.remove('a/b/c', 'nobody');
    trie.remove('x/y', 'c2');
    assert.deepEqual(trie.match('a/b/c'), [3]);
    trie.remove('a/b/c', 'c2');
    assert.equal(trie.size, 0);
    assert.deepEqual(trie.match('a/b/c'), []);
  });
});
