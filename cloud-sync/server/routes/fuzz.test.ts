/**
 * Hostile input never makes a 500: a seeded fuzz loop throws wrong types, huge and
 * non-finite numbers, unknown fields, deep nesting, poisoned keys, broken JSON,
 * random bytes and broken gzip at every write route and the query strings, and
 * requires a precise 4xx (with a catalogue code) or a success every time.
 */
import assert from 'node:assert/strict';
import { gzipSync } from 'node:zlib';
import { after, before, describe, it } from 'node:test';
import { STORAGE_KINDS, StorageUnavailable, call, claimGateway, signUp, startHarness, type Claimed, type Harness, type SignedIn, type StorageKind } from '../test-support/harness.js';
import { prng } from '../test-support/prng.js';

const NASTY_VALUES: readonly unknown[] = [
  null, true, false, 0, -1, 1.5, 2 ** 53, -(2 ** 63), 1e308, -1e308, '', 'x', '50', '💥'.repeat(100), 'a'.repeat(70_000),
  [], [1, 2, 3], {}, { nested: { deeper: [null] } }, '2026-01-01T00:00:00Z', '../../etc/passwd', "'; DROP TABLE readings; --",
];

function deepArray(depth: number): string {
  return `${'['.repeat(depth)}${']'.repeat(depth)}`;
}

type Json = null | boolean | number | string | Json[] | { [key: string]: Json };

function mutate(value: Json, random: () => number, depth = 0): Json {
  const pick = <T>(list: readonly T[]): T => list[Math.floor(random() * list.length)] as T;
  if (value !== null && typeof value === 'object' && depth < 6 && random() < 0.7) {
    if (Array.isArray(value)) {
      const copy = value.map((v) => (random() < 0.3 ? mutate(v, random, depth + 1) : v));
      if (random() < 0.2) copy.push(pick(NASTY_VALUES) as Json);
      return copy;
    }
    const copy: { [key: string]: Json } = { ...value };
    for (const key of Object.keys(copy)) {
      const roll = random();
      if (roll < 0.15) delete copy[key];
      else if (roll < 0.45) copy[key] = mutate(copy[key] as Json, random, depth + 1);
    }
    if (random() < 0.15) copy[pick(['extra', 'gatewayId', 'userId', 'role', 'seq'])] = pick(NASTY_VALUES) as Json;
    return copy;
  }
  return pick(NASTY_VALUES) as Json;
}

/** Turns a valid body into a hostile payload: a mutated document, or broken bytes. */
function hostile(valid: Json, random: () => number): { payload: string | Buffer; headers: Record<string, string> } {
  const json = { 'content-type': 'application/json' };
  const roll = random();
  if (roll < 0.55) return { payload: JSON.stringify(mutate(valid, random)), headers: json };
  const text = JSON.stringify(valid);
  if (roll < 0.62) return { payload: text.slice(0, Math.floor(random() * text.length)), headers: json };
  if (roll < 0.67) return { payload: text.replace(/\d+(\.\d+)?/, random() < 0.5 ? '1e400' : '-1e999'), headers: json };
  if (roll < 0.72) return { payload: `{"a":${deepArray(50_000)}}`, headers: json };
  if (roll < 0.76) return { payload: text.replace('{', '{"__proto__":{"admin":true},'), headers: json };
  if (roll < 0.8) return { payload: Buffer.from(Array.from({ length: 64 }, () => Math.floor(random() * 256))), headers: json };
  if (roll < 0.85) return { payload: gzipSync(text).subarray(0, 10 + Math.floor(random() * 10)), headers: { ...json, 'content-encoding': 'gzip' } };
  if (roll < 0.9) return { payload: gzipSync(JSON.stringify(mutate(valid, random))), headers: { ...json, 'content-encoding': 'gzip' } };
  if (roll < 0.95) return { payload: text, headers: { 'content-type': random() < 0.5 ? 'text/plain' : 'application/x-www-form-urlencoded' } };
  return { payload: text, headers: { ...json, 'content-encoding': random() < 0.5 ? 'deflate' : 'gzip, gzip' } };
}

const ALLOWED = new Set([200, 201, 204, 304, 400, 401, 403, 404, 409, 413, 415]);

for (const storage of STORAGE_KINDS) fuzz(storage);

function fuzz(storage: StorageKind): void {
  describe(`fuzz on ${storage}: hostile input gets a precise 4xx, never a 500`, () => {
    let h: Harness;
    let skip: string | undefined;
    let user: SignedIn;
    let gw: Claimed;
    let ruleId: string;
    const T = Date.UTC(2026, 0, 15, 12);

    before(async () => {
      try {
        h = await startHarness({ authRateLimit: { max: 100_000, windowMs: 60_000 }, ingestRateLimit: { max: 100_000, windowMs: 60_000 } }, { storage });
      } catch (error) {
        if (!(error instanceof StorageUnavailable)) throw error;
        skip = error.message;
        return;
      }
      user = await signUp(h.app);
      gw = await claimGateway(h.app, user.token);
      await call(h.app, 'POST', '/api/sensors/data', {
        token: gw.credential,
        body: { afterSeq: 0, lastSeq: 1, records: [{ record: 'reading', seq: 1, sensorId: 'lpg', sensorKind: 'level', at: T, value: 1, unit: '%', quality: 'ok', clockSynced: true }] },
      });
      const rule = await call<{ id: string }>(h.app, 'POST', '/api/alerts', { token: user.token, body: { sensorId: `${gw.gatewayId}:lpg`, type: 'low_level', params: { warningPercent: 20, criticalPercent: 5 } } });
      ruleId = rule.body.id;
    });
    after(() => (skip === undefined ? h.close() : undefined));

    const targets = (): { method: 'POST' | 'PUT' | 'PATCH'; url: string; token: () => string; valid: Json }[] => [
      {
        method: 'POST',
        url: '/api/sensors/data',
        token: () => gw.credential,
        valid: {
          afterSeq: 1,
          lastSeq: 3,
          records: [
            { record: 'reading', seq: 2, sensorId: 'lpg', sensorKind: 'level', at: T, value: 50, unit: '%', percent: 50, quality: 'ok', clockSynced: true, downsampled: { seqEnd: 9, atEnd: T + 9, count: 4, min: 1, max: 60 } },
            { record: 'event', seq: 3, at: T, type: 'gas', sensorId: 'kg', state: 'raised', severity: 'critical', message: 'gas', clockSynced: true, data: { a: [1, { b: 2 }] } },
          ],
        },
      },
      { method: 'POST', url: '/api/devices/heartbeat', token: () => gw.credential, valid: { version: '1', uptimeSeconds: 5, clock: { synced: true }, backlog: { records: 1, oldestAt: T }, sensors: [{ id: 'lpg', name: 'LPG', kind: 'level', health: 'ok', value: 3, unit: '%' }] } },
      { method: 'PUT', url: '/api/devices/calibrations', token: () => gw.credential, valid: { calibrations: { lpg: { calibration: { type: 'two_point', points: [{ raw: 0, value: 0 }, { raw: 5, value: 100 }] }, updatedAt: T } } } },
      { method: 'POST', url: '/api/auth/register', token: () => '', valid: { email: 'fuzz@example.com', password: 'long enough password', name: 'Fuzz' } },
      { method: 'POST', url: '/api/auth/login', token: () => '', valid: { email: user.email, password: 'long enough password' } },
      { method: 'POST', url: '/api/auth/refresh-token', token: () => '', valid: { refreshToken: 'rt_x' } },
      { method: 'PATCH', url: '/api/users/me', token: () => user.token, valid: { name: 'Fuzzy', phone: '+44 1234 567890' } },
      { method: 'PATCH', url: '/api/users/notification-preferences', token: () => user.token, valid: { push: false, minSeverity: 'info' } },
      { method: 'POST', url: '/api/alerts', token: () => user.token, valid: { sensorId: `${gw.gatewayId}:lpg`, type: 'sudden_drop', params: { dropPercent: 5, windowMinutes: 30 }, notify: ['push'] } },
      { method: 'PUT', url: `/api/alerts/${ruleId}`, token: () => user.token, valid: { type: 'low_level', params: { warningPercent: 30, criticalPercent: 10 }, enabled: false } },
      { method: 'PUT', url: `/api/devices/${gw.gatewayId}`, token: () => user.token, valid: { name: 'Renamed' } },
      { method: 'POST', url: '/api/devices/register', token: () => '', valid: { code: 'ABCD-EFGH', name: 'Pi' } },
    ];

    it('write routes', async (t) => {
      if (skip !== undefined) return t.skip(skip);
      const random = prng(20260115);
      let requests = 0;
      for (const target of targets()) {
        for (let i = 0; i < 60; i++) {
          const { payload, headers } = hostile(target.valid, random);
          const token = target.token();
          const response = await h.app.inject({ method: target.method, url: target.url, payload, headers: { ...headers, ...(token === '' ? {} : { authorization: `Bearer ${token}` }) } });
          requests++;
          const shown = `${target.method} ${target.url} #${i}: ${response.statusCode} ${response.body.slice(0, 300)}\npayload: ${String(payload).slice(0, 300)}`;
          assert.ok(ALLOWED.has(response.statusCode), shown);
          if (response.statusCode >= 400) assert.match(response.body, /"code":"EASYGAS_[A-Z_]+"/, shown);
        }
      }
      assert.ok(requests >= 700);
    });

    it('query strings and path parameters', async (t) => {
      if (skip !== undefined) return t.skip(skip);
      const random = prng(7);
      const nasty = ['', '-1', '1e400', 'NaN', 'Infinity', '9'.repeat(40), '2026-13-45', 'null', '%00', '[]', '{}', '1h', '0s', '💥', 'x'.repeat(300)];
      const pick = (): string => nasty[Math.floor(random() * nasty.length)] ?? '';
      const sensor = encodeURIComponent(`${gw.gatewayId}:lpg`);
      for (let i = 0; i < 150; i++) {
        const urls = [
          `/api/sensors/${sensor}/history?from=${encodeURIComponent(pick())}&to=${encodeURIComponent(pick())}&bucket=${encodeURIComponent(pick())}`,
          `/api/sensors/analytics?sensorId=${random() < 0.5 ? sensor : encodeURIComponent(pick())}&days=${encodeURIComponent(pick())}`,
          `/api/notifications?limit=${encodeURIComponent(pick())}&before=${encodeURIComponent(pick())}&unreadOnly=${encodeURIComponent(pick())}`,
          `/api/devices/${encodeURIComponent(pick())}/events?limit=${encodeURIComponent(pick())}`,
          `/api/sensors/${encodeURIComponent(pick())}/latest`,
          `/api/alerts?sensorId=${encodeURIComponent(pick())}&${encodeURIComponent(pick())}=1`,
        ];
        for (const url of urls) {
          const response = await h.app.inject({ method: 'GET', url, headers: { authorization: `Bearer ${user.token}` } });
          const shown = `GET ${url}: ${response.statusCode} ${response.body.slice(0, 300)}`;
          assert.ok(ALLOWED.has(response.statusCode), shown);
          if (response.statusCode >= 400) assert.match(response.body, /"code":"EASYGAS_[A-Z_]+"/, shown);
        }
      }
    });
  });
}
