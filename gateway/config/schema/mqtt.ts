/**
 * The `mqtt:` section: the gateway's own broker (embedded), a broker elsewhere
 * (external), or none (off). Home Assistant and the Wi-Fi sensor nodes talk to it.
 */
import { z } from 'zod';
import { aclPatterns, aclTopics } from './mqtt-acl.js';
import { nonEmptyText, port, slug, wholeNumber } from './primitives.js';
import { evenWhenPartsFail, partsOf } from './sound-parts.js';

/**
 * A password hash in PHC string format for scrypt, as `easygas mqtt passwd` prints it:
 * `$scrypt$ln=<log2 N>,r=<r>,p=<p>$<salt, base64>$<hash, base64>`. The broker verifies
 * with node:crypto scrypt; the password itself never appears in the file.
 */
export const SCRYPT_HASH_RE = /^\$scrypt\$ln=(\d{1,2}),r=(\d{1,2}),p=(\d{1,2})\$[A-Za-z0-9+/]{16,}={0,2}\$[A-Za-z0-9+/]{32,}={0,2}$/;

const passwordHash = z
  .string({ error: 'must be a scrypt hash' })
  .regex(SCRYPT_HASH_RE, {
    error: 'must be a scrypt hash ("$scrypt$ln=…"), never the password itself: `easygas mqtt passwd <user>` prints one',
  });

const mqttUser = z.strictObject({
  username: nonEmptyText,
  passwordHash,
  /** Wi-Fi node ids this user may publish for; left out = may not publish sensor values. */
  nodes: z.array(slug).optional(),
  /** More topics this user may use, as the lines after `user <name>` in a Mosquitto acl_file. */
  topics: aclTopics.optional(),
});

/** A topic level path: no wildcards, no empty levels. */
const topicBase = z
  .string()
  .regex(/^[^#+/\s]+(\/[^#+/\s]+)*$/, { error: 'must be a topic without wildcards (+, #) or leading/trailing "/"' });

const brokerUrl = z.url({ protocol: /^(mqtts?|wss?)$/, error: 'must be an mqtt://, mqtts://, ws:// or wss:// URL' });

export const mqttSection = z
  .strictObject({
    mode: z.enum(['embedded', 'external', 'off']).default('embedded'),
    host: nonEmptyText.default('0.0.0.0'),
    port: port.default(1883),
    websocketPort: port.optional(),
    /** external mode: the broker to connect to. */
    url: brokerUrl.optional(),
    username: nonEmptyText.optional(),
    password: z.string().optional(),
    users: z.array(mqttUser).default([]),
    allowAnonymous: z.boolean().default(false),
    /** Topics anonymous clients may use besides the defaults: a Mosquitto acl_file's lines before any `user`. */
    anonymousTopics: aclTopics.default([]),
    /** A Mosquitto acl_file's `pattern` lines: every client, %u its user name, %c its client id. */
    patterns: aclPatterns.default([]),
    baseTopic: topicBase.default('easygas'),
    discoveryPrefix: topicBase.default('homeassistant'),
    maxPayloadBytes: wholeNumber({ min: 256, max: 1_048_576 }).default(4096),
  })
  .superRefine((value, ctx) => {
    const parts = partsOf(ctx);
    const issue = (path: string, message: string): void => parts.issue([path], message);
    if (!parts.sound('mode')) return;
    if (value.mode === 'external' && parts.sound('url') && value.url === undefined) {
      issue('url', 'missing — mode is external, so say which broker to use, e.g. mqtt://192.168.1.10:1883');
    }
    if (value.mode !== 'external') {
      const hint = 'only for connecting to an external broker (mode: external)';
      if (value.url !== undefined) issue('url', `is ${hint}`);
      if (value.username !== undefined) issue('username', `is ${hint}; the embedded broker uses users:`);
      if (value.password !== undefined) issue('password', `is ${hint}; the embedded broker uses users: with a passwordHash`);
    }
    if (value.mode === 'external') {
      const own = 'is only for the embedded broker; an external broker keeps its own';
      if (parts.sound('anonymousTopics') && value.anonymousTopics.length > 0) issue('anonymousTopics', `${own} ACL`);
      if (parts.sound('patterns') && value.patterns.length > 0) issue('patterns', `${own} ACL`);
    }
    if (!parts.sound('users')) return;
    if (value.mode === 'external' && value.users.length > 0) {
      issue('users', 'is only for the embedded broker; an external broker keeps its own users');
    }
    const seen = new Map<string, number>();
    value.users.forEach((user, i) => {
      const first = seen.get(user.username);
      if (first !== undefined) parts.issue(['users', i, 'username'], `"${user.username}" is already users[${first}]`);
      else seen.set(user.username, i);
    });
  }, evenWhenPartsFail);

export type MqttConfig = z.output<typeof mqttSection>;
