import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { filterWithin, isValidFilter, isValidTopic, topicMatches } from './topic-filter.js';

describe('topic filters (MQTT 3.1.1 §4.7)', () => {
  it('match + for one level and # for the rest, the parent included', () => {
    const cases: [string, string, boolean][] = [
      ['easygas/+/status', 'easygas/gw/status', true],
      ['easygas/+/status', 'easygas/gw/x/status', false],
      ['easygas/#', 'easygas', true],
      ['easygas/#', 'easygas/gw/sensors/a/state', true],
      ['easygas/#', 'easygasx/gw', false],
      ['#', 'anything/at/all', true],
      ['+/+', 'a/', true],
      ['a/b', 'a/b/c', false],
      ['a/b/c', 'a/b', false],
      ['#', '$SYS/broker', false],
      ['+/broker', '$SYS/broker', false],
      ['$SYS/#', '$SYS/broker', true],
    ];
    for (const [filter, topic, expected] of cases) assert.equal(topicMatches(filter, topic), expected, `${filter} ~ ${topic}`);
  });

  it('tell whether one filter stays inside another (what an ACL needs for SUBSCRIBE)', () => {
    const cases: [string, string, boolean][] = [
      ['easygas/#', 'easygas/#', true],
      ['easygas/+/status', 'easygas/#', true],
      ['easygas', 'easygas/#', true],
      ['#', 'easygas/#', false],
      ['+/gw/status', 'easygas/#', false],
      ['easygas/nodes/garage/#', 'easygas/nodes/garage/#', true],
      ['easygas/nodes/+/reading', 'easygas/nodes/garage/#', false],
      ['easygas/nodes/garage/+', 'easygas/nodes/+/+', true],
      ['easygas/nodes/garage/#', 'easygas/nodes/+/+', false],
      ['a/b', 'a/b/c', false],
      ['a/b/c', 'a/b', false],
      ['$SYS/#', '#', false],
      ['$SYS/broker/x', '+/broker/x', false],
      ['$SYS/#', '$SYS/#', true],
      ['#', '#', true],
    ];
    for (const [filter, pattern, expected] of cases) assert.equal(filterWithin(filter, pattern), expected, `${filter} within ${pattern}`);
  });

  it('validate topics and filters', () => {
    assert.ok(isValidTopic('easygas/gw/status'));
    for (const bad of ['', 'a/#', 'a/+/b', 'a\u0000b']) assert.equal(isValidTopic(bad), false, JSON.stringify(bad));
    for (const good of ['#', 'a/#', '+/b/+', 'a']) assert.ok(isValidFilter(good), good);
    for (const bad of ['', 'a/#/b', 'a#', 'a/b+', '#/a']) assert.equal(isValidFilter(bad), false, bad);
  });
});
