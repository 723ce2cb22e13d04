/**
 * MQTT 3.1.1 topic filters (§4.7): `+` matches one level, `#` the rest (the parent
 * included), and wildcards at the start never match topics beginning with `$`.
 * Used by the access policy, the retained-message lookup and the persistence.
 */

/** A topic a client may publish to: not empty, no wildcards, no NUL. */
export function isValidTopic(topic: string): boolean {
  return topic.length > 0 && !topic.includes('#') && !topic.includes('+') && !topic.includes('\u0000');
}

/** A subscription filter: `#` only as the last level, `+` and `#` only as whole levels. */
export function isValidFilter(filter: string): boolean {
  if (filter.length === 0 || filter.includes('\u0000')) return false;
  const levels = filter.split('/');
  return levels.every((level, i) => {
    if (level === '#') return i === levels.length - 1;
    if (level === '+') return true;
    return !level.includes('#') && !level.includes('+');
  });
}

export function topicMatches(filter: string, topic: string): boolean {
  const fs = filter.split('/');
  const ts = topic.split('/');
  if (topic.startsWith('$') && (fs[0] === '+' || fs[0] === '#')) return false;
  for (let i = 0; ; i++) {
    const f = fs[i];
    const t = ts[i];
    if (f === '#') return true;
    if (f === undefined) return t === undefined;
    if (t === undefined) return false;
    if (f !== '+' && f !== t) return false;
  }
}

/**
 * Whether every topic `filter` can match is also matched by `pattern`: the test an
 * ACL needs for a SUBSCRIBE (a client allowed `easygas/#` may subscribe to
 * `easygas/+/status` but not to `#`).
 */
export function filterWithin(filter: string, pattern: string): boolean {
  const fs = filter.split('/');
  const ps = pattern.split('/');
  // As in topicMatches: a pattern starting with a wildcard covers no `$` topic (`#` is not `$SYS/#`).
  if (filter.startsWith('$') && (ps[0] === '+' || ps[0] === '#')) return false;
  for (let i = 0; ; i++) {
    const p = ps[i];
    const f = fs[i];
    if (p === '#') return true;
    if (p === undefined) return f === undefined;
    if (f === undefined || f === '#') return false;
    if (p === '+') continue;
    if (f !== p) return false;
  }
}
