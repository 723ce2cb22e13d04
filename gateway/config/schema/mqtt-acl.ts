/**
 * Topic rights on the embedded broker, written as Mosquitto writes them in an
 * acl_file: one line per rule, `[read|write|readwrite|deny] <topic>`, the access left
 * out meaning readwrite. A user's `topics:` are Mosquitto's lines after `user <name>`,
 * `anonymousTopics:` the lines before any `user` line, `patterns:` its `pattern`
 * lines (every client, with `%u` and `%c` substituted). A line parses into an
 * AclRule, so the rest of the gateway never sees the text form.
 */
import { z } from 'zod';
import { closest } from '../suggest.js';

export const ACL_ACCESS = ['read', 'write', 'readwrite', 'deny'] as const;
export type AclAccess = (typeof ACL_ACCESS)[number];

export interface AclRule {
  readonly access: AclAccess;
  /** A topic filter (+ and # allowed as in a SUBSCRIBE); in a pattern, %u and %c as whole levels. */
  readonly topic: string;
}

const SUBSTITUTIONS = ['%u', '%c'] as const;

/** Why `topic` is not a usable ACL topic; undefined when it is. */
function topicProblem(topic: string, substitution: boolean): string | undefined {
  if (topic.includes('\u0000')) return 'must not contain a NUL character';
  const levels = topic.split('/');
  for (const [i, level] of levels.entries()) {
    if (level === '#' && i !== levels.length - 1) return `"#" must be the last level of the topic (${topic})`;
    if (level !== '#' && level !== '+' && (level.includes('#') || level.includes('+'))) {
      return `"+" and "#" must stand alone as a level, as in a subscription (${topic})`;
    }
    if (substitution && level !== '%u' && level !== '%c' && SUBSTITUTIONS.some((s) => level.includes(s))) {
      return `%u and %c must be a whole level, as in devices/%u/# (Mosquitto substitutes only those), not "${level}"`;
    }
  }
  return undefined;
}

/** `[access] topic` → the rule, or why not. */
export function parseAclLine(line: string, substitution: boolean): AclRule | { readonly problem: string } {
  const text = line.trim();
  if (text === '') return { problem: 'must not be empty: write "[read|write|readwrite|deny] <topic>"' };
  const space = text.search(/\s/);
  const first = space < 0 ? text : text.slice(0, space);
  let access: AclAccess = 'readwrite';
  let topic = text;
  if ((ACL_ACCESS as readonly string[]).includes(first)) {
    if (space < 0) return { problem: `names no topic after "${first}": write e.g. "${first} zigbee2mqtt/#"` };
    access = first as AclAccess;
    topic = text.slice(space).trim();
  } else if (space >= 0) {
    const hint = closest(first, ACL_ACCESS);
    return {
      problem: hint !== undefined
        ? `"${first}" is not an access: did you mean "${hint}"? (read, write, readwrite or deny)`
        : `"${first}" is not an access (read, write, readwrite or deny); a topic with a space needs its access first, as in Mosquitto`,
    };
  }
  const problem = topicProblem(topic, substitution);
  return problem !== undefined ? { problem } : { access, topic };
}

function aclLine(substitution: boolean) {
  return z.string({ error: 'must be a rule like "readwrite zigbee2mqtt/#" (read, write, readwrite or deny, then a topic)' }).transform((line, ctx): AclRule => {
    const parsed = parseAclLine(line, substitution);
    if ('problem' in parsed) {
      ctx.addIssue({ code: 'custom', message: parsed.problem });
      return z.NEVER;
    }
    return parsed;
  });
}

/** A user's `topics:` and `anonymousTopics:`: taken literally, as Mosquitto's `topic` lines. */
export const aclTopics = z.array(aclLine(false), { error: 'must be a list of rules like "readwrite zigbee2mqtt/#"' });

/** `patterns:`: every client, `%u` its user name and `%c` its client id. */
export const aclPatterns = z.array(aclLine(true), { error: 'must be a list of rules like "readwrite devices/%u/#"' });

/** Whether a literal rule names %u or %c, which only `patterns:` substitutes. */
export function namesSubstitution(rule: AclRule): boolean {
  return rule.topic.split('/').some((level) => (SUBSTITUTIONS as readonly string[]).includes(level));
}
